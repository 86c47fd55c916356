using System.Text;
using FimBounds.Build;

namespace FimBounds.Engine.Tests.Foundation;

/// <summary>The build-time repair of libLibTorchSharp.so, checked on synthetic ELF images and on the real copy.</summary>
public sealed class ElfVersionRequirementPatcherTests
{
    [Fact]
    public void Marks_only_the_named_requirement_weak_and_is_idempotent()
    {
        byte[] image = SyntheticElf.WithRequirements("GLIBCXX_3.4.29", "GLIBCXX_3.4.32", "CXXABI_1.3");

        Assert.Equal(ElfPatchOutcome.Patched, ElfVersionRequirementPatcher.MarkWeak(image, "GLIBCXX_3.4.32"));
        Assert.Equal(new ushort[] { 0, 2, 0 }, SyntheticElf.Flags(image));
        Assert.Equal(ElfPatchOutcome.AlreadyWeak, ElfVersionRequirementPatcher.MarkWeak(image, "GLIBCXX_3.4.32"));
        Assert.Equal(new ushort[] { 0, 2, 0 }, SyntheticElf.Flags(image));
    }

    [Fact]
    public void Leaves_a_library_without_the_requirement_untouched()
    {
        byte[] image = SyntheticElf.WithRequirements("GLIBCXX_3.4.29");
        byte[] before = (byte[])image.Clone();

        Assert.Equal(ElfPatchOutcome.VersionNotRequired, ElfVersionRequirementPatcher.MarkWeak(image, "GLIBCXX_3.4.32"));
        Assert.Equal(before, image);
    }

    [Fact]
    public void Refuses_files_that_are_not_elf64()
    {
        byte[] text = Encoding.ASCII.GetBytes("this is not a shared library, just text long enough to have a header......");
        Assert.Equal(ElfPatchOutcome.NotElf64LittleEndian, ElfVersionRequirementPatcher.MarkWeak(text, "GLIBCXX_3.4.32"));
    }

    [Fact]
    public void The_copy_in_this_test_output_was_repaired_by_the_build()
    {
        string library = Path.Combine(AppContext.BaseDirectory, "libLibTorchSharp.so");
        if (!File.Exists(library))
        {
            library = Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        }
        Assert.True(File.Exists(library), $"libLibTorchSharp.so not found under {AppContext.BaseDirectory}");
        byte[] image = File.ReadAllBytes(library);
        Assert.Equal(ElfPatchOutcome.AlreadyWeak, ElfVersionRequirementPatcher.MarkWeak(image, "GLIBCXX_3.4.32"));
    }

    /// <summary>Builds the smallest ELF64 image the patcher reads: a header, .dynstr, .gnu.version_r, section headers.</summary>
    private static class SyntheticElf
    {
        private const int VernauxOffset = 0x100 + 16; // after one Elf64_Verneed

        public static byte[] WithRequirements(params string[] versions)
        {
            var strings = new List<byte> { 0 };
            var nameOffsets = new List<int>();
            foreach (string v in new[] { "libstdc++.so.6" }.Concat(versions))
            {
                nameOffsets.Add(strings.Count);
                strings.AddRange(Encoding.ASCII.GetBytes(v));
                strings.Add(0);
            }

            var image = new byte[0x400];
            image[0] = 0x7f; image[1] = (byte)'E'; image[2] = (byte)'L'; image[3] = (byte)'F';
            image[4] = 2; image[5] = 1;
            const int dynstr = 0x80, verneed = 0x100, sections = 0x300;
            strings.ToArray().CopyTo(image, dynstr);

            // Elf64_Verneed: version 1, count, file name, aux offset 16, next 0.
            W16(image, verneed, 1);
            W16(image, verneed + 2, (ushort)versions.Length);
            W32(image, verneed + 4, (uint)nameOffsets[0]);
            W32(image, verneed + 8, 16);
            for (int i = 0; i < versions.Length; i++)
            {
                int aux = VernauxOffset + 16 * i;
                W32(image, aux + 8, (uint)nameOffsets[i + 1]);
                W32(image, aux + 12, i == versions.Length - 1 ? 0u : 16u);
            }

            // Section headers: [0] null, [1] .dynstr, [2] .gnu.version_r linking to 1.
            W64(image, 0x28, sections);
            W16(image, 0x3A, 64);
            W16(image, 0x3C, 3);
            W32(image, sections + 64 + 4, 3); // SHT_STRTAB
            W64(image, sections + 64 + 0x18, dynstr);
            W32(image, sections + 128 + 4, 0x6ffffffe);
            W64(image, sections + 128 + 0x18, verneed);
            W32(image, sections + 128 + 0x28, 1);
            return image;
        }

        public static ushort[] Flags(byte[] image)
        {
            int count = image[0x100 + 2] | (image[0x100 + 3] << 8);
            return Enumerable.Range(0, count)
                .Select(i => (ushort)(image[VernauxOffset + 16 * i + 4] | (image[VernauxOffset + 16 * i + 5] << 8)))
                .ToArray();
        }

        private static void W16(byte[] b, int o, ushort v) => BitConverter.GetBytes(v).CopyTo(b, o);
        private static void W32(byte[] b, int o, uint v) => BitConverter.GetBytes(v).CopyTo(b, o);
        private static void W64(byte[] b, int o, long v) => BitConverter.GetBytes(v).CopyTo(b, o);
    }
}
