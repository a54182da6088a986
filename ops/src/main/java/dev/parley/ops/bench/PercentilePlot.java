package dev.parley.ops.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import javax.imageio.ImageIO;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

/**
 * A latency-by-percentile chart (the usual HdrHistogram view) drawn with Java2D: x is the percentile on a
 * log scale of 1/(1-p) (50%, 90%, 99%, 99.9%, 99.99%), y the latency in ms on a log scale.
 */
final class PercentilePlot {

    private static final Color[] COLORS = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0xff7f0e),
            new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f), new Color(0x17becf)};
    private static final int W = 1240;
    private static final int H = 600;
    private static final int LEFT = 70;
    private static final int RIGHT = 470;
    private static final int TOP = 40;
    private static final int BOTTOM = 60;
    private static final double MAX_X = 5; // 99.999%

    private PercentilePlot() {
    }

    static void write(Path png, String title, Map<String, Histogram> series) throws IOException {
        BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, W, H);
        double minMs = Double.MAX_VALUE;
        double maxMs = 0;
        for (Histogram h : series.values()) {
            if (h.getTotalCount() > 0) {
                minMs = Math.min(minMs, Math.max(0.1, h.getMinValue() / 1000.0));
                maxMs = Math.max(maxMs, h.getMaxValue() / 1000.0);
            }
        }
        if (maxMs == 0) {
            minMs = 1;
            maxMs = 10;
        }
        double lo = Math.floor(Math.log10(minMs));
        double hi = Math.ceil(Math.log10(maxMs));
        if (hi <= lo) {
            hi = lo + 1;
        }
        int plotW = W - LEFT - RIGHT;
        int plotH = H - TOP - BOTTOM;
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.setColor(new Color(0xdddddd));
        for (double d = lo; d <= hi; d++) {
            int y = TOP + plotH - (int) ((d - lo) / (hi - lo) * plotH);
            g.drawLine(LEFT, y, LEFT + plotW, y);
            g.setColor(Color.DARK_GRAY);
            String label = d >= 0 ? String.valueOf((long) Math.pow(10, d)) : String.valueOf(Math.pow(10, d));
            g.drawString(label, LEFT - 8 - g.getFontMetrics().stringWidth(label), y + 4);
            g.setColor(new Color(0xdddddd));
        }
        String[] xs = {"0%", "90%", "99%", "99.9%", "99.99%", "99.999%"};
        for (int i = 0; i <= MAX_X; i++) {
            int x = LEFT + (int) (i / MAX_X * plotW);
            g.setColor(new Color(0xdddddd));
            g.drawLine(x, TOP, x, TOP + plotH);
            g.setColor(Color.DARK_GRAY);
            g.drawString(xs[i], x - g.getFontMetrics().stringWidth(xs[i]) / 2, TOP + plotH + 18);
        }
        g.setColor(Color.BLACK);
        g.drawRect(LEFT, TOP, plotW, plotH);
        g.drawString("percentile", LEFT + plotW / 2 - 25, H - 20);
        g.rotate(-Math.PI / 2);
        g.drawString("latency (ms, log scale)", -(TOP + plotH / 2 + 60), 20);
        g.rotate(Math.PI / 2);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.drawString(title, LEFT, 24);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        int k = 0;
        for (var e : series.entrySet()) {
            Histogram h = e.getValue();
            if (h.getTotalCount() == 0) {
                continue;
            }
            Color c = COLORS[k % COLORS.length];
            g.setColor(c);
            g.setStroke(new BasicStroke(2f));
            Path2D.Double path = new Path2D.Double();
            boolean first = true;
            for (HistogramIterationValue v : h.percentiles(5)) {
                double p = v.getPercentileLevelIteratedTo() / 100.0;
                double x = p >= 1 ? MAX_X : Math.min(MAX_X, Math.log10(1 / (1 - p)));
                double ms = Math.max(Math.pow(10, lo), h.highestEquivalentValue(v.getValueIteratedTo()) / 1000.0);
                double px = LEFT + x / MAX_X * plotW;
                double py = TOP + plotH - (Math.log10(ms) - lo) / (hi - lo) * plotH;
                if (first) {
                    path.moveTo(px, py);
                    first = false;
                } else {
                    path.lineTo(px, py);
                }
            }
            g.draw(path);
            int ly = TOP + 10 + k * 20;
            g.fillRect(W - RIGHT + 15, ly - 8, 14, 4);
            g.setColor(Color.BLACK);
            g.drawString(e.getKey() + String.format(" (p99 %.1f ms)", h.getValueAtPercentile(99) / 1000.0), W - RIGHT + 35, ly);
            k++;
        }
        g.dispose();
        Files.createDirectories(png.getParent());
        ImageIO.write(img, "png", png.toFile());
    }
}
