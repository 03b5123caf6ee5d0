package org.bobbob.sample;

/**
 * What a key may be. A client chooses any key of 1 to {@value BlobInfo#KEY} characters without
 * control characters, except that keys of digits only are the server's: a {@code POST} stores its
 * blob under the decimal id of its first object, which the store never hands out twice, so a
 * client's key can never take one a later {@code POST} needs. Such a key can be replaced and
 * deleted, not created by {@code PUT}.
 */
final class Keys {
    private Keys() {}

    /** {@code key} if a client may read, replace or delete under it; else a 400. */
    static String valid(String key) {
        if (key == null || key.isEmpty() || key.length() > BlobInfo.KEY) {
            throw new BadInput(400, "a key has 1 to " + BlobInfo.KEY + " characters");
        }
        for (int i = 0; i < key.length(); i++) {
            if (Character.isISOControl(key.charAt(i))) {
                throw new BadInput(
                        400,
                        "a key has no control characters (found U+" + String.format("%04X", (int) key.charAt(i)) + ")");
            }
        }
        return key;
    }

    /** Whether {@code key} is of the form a {@code POST} makes (a positive decimal id). */
    static boolean serverMade(String key) {
        return !key.isEmpty() && key.length() <= 19 && key.chars().allMatch(c -> c >= '0' && c <= '9');
    }
}
