// Marks one symbol-version requirement of an ELF64 shared library as weak (VER_FLG_WEAK), so the
// dynamic loader accepts the library on a system whose libstdc++ lacks that version.
//
// Why: TorchSharp-cpu 0.107.0's libLibTorchSharp.so requires GLIBCXX_3.4.32 (GCC 13) for exactly one
// symbol, std::ios_base_library_init(), which it references but never calls. Debian 12 ships GCC 12's
// libstdc++, so the loader refuses the library. A weak version requirement is only checked when the
// version exists, which is what we want. The repair touches only the copy in a build output.
//
// This file is compiled twice: by MSBuild's RoslynCodeTaskFactory (build/TorchSharpNativeRepair.targets),
// which also takes the task class at the end, and into a test project (with ELF_PATCHER_ONLY defined)
// that checks the patcher on synthetic ELF images. Keep it dependency-free.
using System;
using System.IO;
using System.Text;

namespace FimBounds.Build
{
    public enum ElfPatchOutcome
    {
        Patched,
        AlreadyWeak,
        VersionNotRequired,
        NotElf64LittleEndian,
    }

    public static class ElfVersionRequirementPatcher
    {
        private const uint ShtGnuVerneed = 0x6ffffffe;
        private const ushort VerFlagWeak = 0x2;

        /// <summary>Sets VER_FLG_WEAK on the vernaux entry named <paramref name="versionName"/>.</summary>
        public static ElfPatchOutcome MarkWeak(string path, string versionName)
        {
            byte[] image = File.ReadAllBytes(path);
            ElfPatchOutcome outcome = MarkWeak(image, versionName);
            if (outcome == ElfPatchOutcome.Patched)
            {
                // Write beside the target and swap, so an interrupted build never leaves a torn library.
                string temp = path + ".fimbounds-tmp";
                File.WriteAllBytes(temp, image);
                File.Copy(temp, path, overwrite: true);
                File.Delete(temp);
            }
            return outcome;
        }

        public static ElfPatchOutcome MarkWeak(byte[] image, string versionName)
        {
            // e_ident: 0x7f 'E' 'L' 'F', class 2 (64-bit), data 1 (little-endian).
            if (image.Length < 64 || image[0] != 0x7f || image[1] != (byte)'E' || image[2] != (byte)'L'
                || image[3] != (byte)'F' || image[4] != 2 || image[5] != 1)
            {
                return ElfPatchOutcome.NotElf64LittleEndian;
            }

            ulong sectionHeaderOffset = ReadU64(image, 0x28);
            int sectionHeaderSize = ReadU16(image, 0x3A);
            int sectionCount = ReadU16(image, 0x3C);

            for (int i = 0; i < sectionCount; i++)
            {
                int header = checked((int)sectionHeaderOffset + i * sectionHeaderSize);
                if (ReadU32(image, header + 4) != ShtGnuVerneed)
                {
                    continue;
                }

                int verneedOffset = checked((int)ReadU64(image, header + 0x18));
                int stringTableIndex = (int)ReadU32(image, header + 0x28);
                int stringHeader = checked((int)sectionHeaderOffset + stringTableIndex * sectionHeaderSize);
                int stringTableOffset = checked((int)ReadU64(image, stringHeader + 0x18));

                // Elf64_Verneed { u16 vn_version, vn_cnt; u32 vn_file, vn_aux, vn_next; }
                // Elf64_Vernaux { u32 vna_hash; u16 vna_flags, vna_other; u32 vna_name, vna_next; }
                int need = verneedOffset;
                while (true)
                {
                    int auxCount = ReadU16(image, need + 2);
                    int aux = need + (int)ReadU32(image, need + 8);
                    for (int a = 0; a < auxCount; a++)
                    {
                        string name = ReadCString(image, stringTableOffset + (int)ReadU32(image, aux + 8));
                        if (name == versionName)
                        {
                            ushort flags = ReadU16(image, aux + 4);
                            if ((flags & VerFlagWeak) != 0)
                            {
                                return ElfPatchOutcome.AlreadyWeak;
                            }
                            WriteU16(image, aux + 4, (ushort)(flags | VerFlagWeak));
                            return ElfPatchOutcome.Patched;
                        }
                        uint nextAux = ReadU32(image, aux + 12);
                        if (nextAux == 0)
                        {
                            break;
                        }
                        aux += (int)nextAux;
                    }
                    uint nextNeed = ReadU32(image, need + 12);
                    if (nextNeed == 0)
                    {
                        break;
                    }
                    need += (int)nextNeed;
                }
            }
            return ElfPatchOutcome.VersionNotRequired;
        }

        private static ushort ReadU16(byte[] b, int o) => (ushort)(b[o] | (b[o + 1] << 8));
        private static uint ReadU32(byte[] b, int o) => (uint)(b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24));
        private static ulong ReadU64(byte[] b, int o) => ReadU32(b, o) | ((ulong)ReadU32(b, o + 4) << 32);

        private static void WriteU16(byte[] b, int o, ushort v)
        {
            b[o] = (byte)v;
            b[o + 1] = (byte)(v >> 8);
        }

        private static string ReadCString(byte[] b, int o)
        {
            int end = o;
            while (end < b.Length && b[end] != 0)
            {
                end++;
            }
            return Encoding.ASCII.GetString(b, o, end - o);
        }
    }

#if !ELF_PATCHER_ONLY
    /// <summary>MSBuild entry point: logs what it did, fails the build only on an unreadable file.</summary>
    public class MarkElfVersionRequirementWeak : Microsoft.Build.Utilities.Task
    {
        [Microsoft.Build.Framework.Required]
        public string LibraryPath { get; set; } = "";

        [Microsoft.Build.Framework.Required]
        public string VersionName { get; set; } = "";

        public override bool Execute()
        {
            if (!File.Exists(LibraryPath))
            {
                return true;
            }
            try
            {
                ElfPatchOutcome outcome = ElfVersionRequirementPatcher.MarkWeak(LibraryPath, VersionName);
                Log.LogMessage(Microsoft.Build.Framework.MessageImportance.Low,
                    "FimBounds: {0} in {1}: {2}", VersionName, LibraryPath, outcome);
                return true;
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is IndexOutOfRangeException || e is OverflowException)
            {
                Log.LogError("FimBounds: could not repair {0}: {1}. Delete the build output and build again.", LibraryPath, e.Message);
                return false;
            }
        }
    }
#endif
}
