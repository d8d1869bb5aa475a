using System.Diagnostics;

namespace PipelineFunctions.Local.Tests.Shutdown;

/// <summary>
/// One input file replaced by a named pipe (FIFO): step 1, which reads every input file, blocks on it until the test
/// releases it. A fixed point inside an executing activity, in a real process, without a test hook in the product.
/// The test holds the pipe open for reading and writing from the start, so the reader's open returns at once (its fd
/// shows it is there) and its read waits; release writes the real content, closes the pipe (end of file) and puts the
/// real file in its place for every later read.
/// </summary>
public sealed class BlockedInput : IDisposable
{
    private readonly string _path, _content;
    private readonly FileStream _pipe;

    private BlockedInput(string path, string content, FileStream pipe) => (_path, _content, _pipe) = (path, content, pipe);

    /// <param name="path">The input file to block on (small: its content must fit the pipe's buffer).</param>
    /// <param name="aside">A folder outside the inputs (on the same file system) where the real content waits meanwhile.</param>
    public static async Task<BlockedInput> CreateAsync(string path, string aside)
    {
        Directory.CreateDirectory(aside);
        var content = Path.Combine(aside, Path.GetFileName(path));
        File.Move(path, content);
        using var mkfifo = Process.Start(new ProcessStartInfo("mkfifo") { ArgumentList = { path }, UseShellExecute = false })!;
        await mkfifo.WaitForExitAsync();
        Assert.Equal(0, mkfifo.ExitCode);
        // Read-write: opening a pipe so never waits for a partner (Linux), and it gives the pipe a writer.
        return new BlockedInput(path, content, new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite, bufferSize: 0));
    }

    /// <summary>Waits until process <paramref name="pid"/> has the pipe open: its reader is waiting for the content.</summary>
    public async Task WaitForReaderAsync(int pid, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!Directory.EnumerateFiles($"/proc/{pid}/fd").Any(fd => new FileInfo(fd).LinkTarget == _path))
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"process {pid} did not open {_path} within {timeout}");
            await Task.Delay(20);
        }
    }

    /// <summary>Lets the reader go on: it reads the real content, as every later reader does.</summary>
    public void Release()
    {
        var copy = _content + ".copy";
        File.Copy(_content, copy);
        File.Move(copy, _path, overwrite: true);
        _pipe.Write(File.ReadAllBytes(_content));
        _pipe.Dispose();
    }

    public void Dispose() => _pipe.Dispose();
}
