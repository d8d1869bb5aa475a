namespace PipelineFunctions.Core.Steps.Recommendations.Sharding;

/// <summary>
/// One value per key (a content hash) in this process while it is in use: step 4's shards of one run that run side by
/// side, or one after the other in the same process (the local runner, a Functions instance given several), parse the
/// scoring context and build the show-wide scorer once (<see cref="ShardKnowledge"/>). When its last user is done only a
/// weak reference is kept, so the next user usually finds it but the garbage collector may take it back: nothing is held
/// for a run that has ended. A load that fails is not kept (each of its users sees its error).
/// </summary>
internal sealed class InUseCache<TValue> where TValue : class
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, (Task<TValue> Value, int Users)> _inUse = new(StringComparer.Ordinal);
    private readonly Dictionary<string, WeakReference<TValue>> _recent = new(StringComparer.Ordinal);

    public async Task<T> UseAsync<T>(string key, Func<Task<TValue>> load, Func<TValue, Task<T>> use)
    {
        Task<TValue> value;
        lock (_gate)
        {
            if (_inUse.TryGetValue(key, out var entry))
                value = entry.Value;
            else if (_recent.TryGetValue(key, out var weak) && weak.TryGetTarget(out var kept))
                value = Task.FromResult(kept);
            else
                value = Task.Run(load);
            _inUse[key] = (value, _inUse.GetValueOrDefault(key).Users + 1);
        }
        try
        {
            return await use(await value);
        }
        finally
        {
            lock (_gate)
            {
                var users = _inUse[key].Users - 1;
                if (users > 0) _inUse[key] = (value, users);
                else
                {
                    _inUse.Remove(key);
                    // Dead references of earlier keys go; this one stays weakly reachable.
                    foreach (var dead in _recent.Where(r => !r.Value.TryGetTarget(out _)).Select(r => r.Key).ToList()) _recent.Remove(dead);
                    if (value.IsCompletedSuccessfully) _recent[key] = new WeakReference<TValue>(value.Result);
                    else _recent.Remove(key);
                }
            }
        }
    }
}
