using PipelineFunctions.Core.Inputs;

namespace PipelineFunctions.Core.Tests.Inputs;

/// <summary>
/// The pool the readers share repeated values through: one string per distinct value whether it arrives as a string or as
/// characters still in a buffer, the last value never mistaken for another, and new values kept only while there is room.
/// </summary>
public sealed class TextPoolTests
{
    [Fact]
    public void A_value_is_one_string_whether_it_comes_as_characters_or_as_a_string()
    {
        var pool = new TextPool();
        char[] buffer = ['V', 'e', 't', ' ', 'N', 'u', 'r', 's', 'e', '!'];

        var fromChars = pool.Intern(buffer.AsSpan(0, 9));
        var again = pool.Intern(buffer.AsSpan(0, 9));
        var fromString = pool.Intern(new string(buffer, 0, 9));

        Assert.Equal("Vet Nurse", fromChars);
        Assert.Same(fromChars, again);
        Assert.Same(fromChars, fromString);
    }

    [Fact]
    public void The_last_value_is_not_mistaken_for_the_next_one()
    {
        var pool = new TextPool();
        var student = pool.Intern("Student");

        Assert.Equal("Vet", pool.Intern("Vet".AsSpan()));
        // The same string instance as the first call's: recognised by reference only while it was the last value.
        Assert.Same(student, pool.Intern("Student"));
        Assert.Same(student, pool.Intern("Student".AsSpan()));
        Assert.Equal("", pool.Intern(ReadOnlySpan<char>.Empty));
        Assert.Equal("Vet", pool.Intern("Vet"));
    }

    [Fact]
    public void Beyond_its_capacity_new_values_are_returned_but_not_kept()
    {
        var pool = new TextPool(capacity: 2);
        var first = pool.Intern("a".AsSpan());
        pool.Intern("b".AsSpan());

        var third = pool.Intern("c".AsSpan());
        pool.Intern("a".AsSpan());

        Assert.Same(first, pool.Intern("a".AsSpan()));
        Assert.Equal("c", third);
        Assert.NotSame(third, pool.Intern(new string('c', 1)));
    }
}
