using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Posthorn.Core.Payloads;

/// <summary>Writes one JSON document to a string with the payloads' writer options.</summary>
public static class JsonText
{
    public static string Write(Action<Utf8JsonWriter> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var writer = new Utf8JsonWriter(buffer, PayloadJson.WriterOptions))
        {
            write(writer);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>
    /// The document keeping the most of <paramref name="count"/> items (the newest, at the end) whose
    /// form-encoded size (<see cref="PayloadWireSize"/>, the larger way to send it) fits <paramref name="maxBytes"/>;
    /// found by bisection, so a 2,048-commit document is written about a dozen times, not 2,048.
    /// </summary>
    public static (string Json, int Kept) Fit(int count, long maxBytes, Func<int, string> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        var full = write(count);
        if (Fits(full, maxBytes) || count == 0)
        {
            return (full, count);
        }

        int low = 0, high = count - 1;
        while (low < high)
        {
            var middle = (low + high + 1) / 2;
            if (Fits(write(middle), maxBytes))
            {
                low = middle;
            }
            else
            {
                high = middle - 1;
            }
        }

        return (write(low), low);
    }

    private static bool Fits(string json, long maxBytes) => PayloadWireSize.Prefix + PayloadWireSize.Of(Encoding.UTF8.GetBytes(json)) <= maxBytes;
}
