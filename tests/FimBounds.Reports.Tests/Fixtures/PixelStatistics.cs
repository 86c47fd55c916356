using SkiaSharp;

namespace FimBounds.Reports.Tests.Fixtures;

/// <summary>Reads an image's pixels to tell a drawn picture from a blank one.</summary>
public sealed record PixelStatistics(int Width, int Height, double NonBackgroundFraction, int DistinctColors)
{
    public static PixelStatistics Of(byte[] encoded)
    {
        using SKBitmap bitmap = SKBitmap.Decode(encoded) ?? throw new InvalidOperationException("Not a decodable image.");
        var colors = new HashSet<uint>();
        SKColor background = bitmap.GetPixel(0, 0);
        long different = 0;
        for (int y = 0; y < bitmap.Height; y++)
        {
            for (int x = 0; x < bitmap.Width; x++)
            {
                SKColor c = bitmap.GetPixel(x, y);
                colors.Add((uint)c);
                if (c != background)
                {
                    different++;
                }
            }
        }
        return new PixelStatistics(bitmap.Width, bitmap.Height, different / (double)(bitmap.Width * bitmap.Height), colors.Count);
    }
}
