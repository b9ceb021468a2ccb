using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Rapport.Kernel.Entities;

/// <summary>
/// New row ids: UUID version 7 (RFC 9562) as <see cref="Guid.CreateVersion7()"/> makes them — the Unix time in
/// milliseconds first, so ids of new rows sort by creation and land at the end of their indexes — with the random part
/// drawn from the system's cryptographic generator 4 KB at a time instead of by a system call per id. An import creates
/// about ten rows a contact, and every entity the database reads is constructed with a fresh id before its own is set,
/// so the call per id cost more than the rest of making the row.
/// </summary>
public static class Ids
{
    private const int RandomBytes = 10; // 74 random bits a UUIDv7 keeps, after its version and variant bits, rounded up to whole bytes

    [ThreadStatic] private static byte[]? t_random;
    [ThreadStatic] private static int t_next;

    public static Guid NewV7()
    {
        var random = t_random;
        if (random is null || t_next + RandomBytes > random.Length)
        {
            random = t_random ??= new byte[4096];
            RandomNumberGenerator.Fill(random);
            t_next = 0;
        }

        Span<byte> bytes = stackalloc byte[16];
        BinaryPrimitives.WriteInt64BigEndian(bytes, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() << 16); // 48 bits of time, then 2 bytes overwritten below
        random.AsSpan(t_next, RandomBytes).CopyTo(bytes[6..]);
        t_next += RandomBytes;
        bytes[6] = (byte)(0x70 | (bytes[6] & 0x0F)); // version 7
        bytes[8] = (byte)(0x80 | (bytes[8] & 0x3F)); // variant 10
        return new Guid(bytes, bigEndian: true);
    }
}
