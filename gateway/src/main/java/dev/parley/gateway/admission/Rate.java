package dev.parley.gateway.admission;

/**
 * A token-bucket rate: {@code perSecond} sustained, up to {@code burst} at once. Written {@code "10,50"} in
 * settings; {@code "off"} for no limit.
 */
public record Rate(double perSecond, int burst) {

    public Rate {
        if (!(perSecond > 0) || burst < 1) {
            throw new IllegalArgumentException("a rate needs perSecond > 0 and burst >= 1: " + perSecond + "," + burst);
        }
    }

    /** @return null for {@code off} */
    public static Rate parse(String setting, String name) {
        String s = setting.trim();
        if (s.equalsIgnoreCase("off")) {
            return null;
        }
        String[] parts = s.split(",");
        try {
            double perSecond = Double.parseDouble(parts[0].trim());
            int burst = parts.length > 1 ? Integer.parseInt(parts[1].trim()) : (int) Math.max(1, Math.ceil(perSecond));
            return new Rate(perSecond, burst);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(name + " must be 'PER_SECOND,BURST' (e.g. 10,50) or 'off', not '" + setting + "'", e);
        }
    }

    @Override
    public String toString() {
        return perSecond + "/s burst " + burst;
    }
}
