package io.processhub.tests.chaos;

/**
 * One thing a chaos child did, as it wrote it: {@code START} (with its role and the state it starts from), {@code ROLE}
 * (a role change), {@code RESTORE} (it was given a state: a checkpoint, or a live state handed over; the state in
 * {@code value}), {@code CHECKPOINT} (a checkpoint of at least {@code value} was acknowledged), {@code STOP} (with the
 * reason in {@code detail}).
 */
record Event(long micros, String instance, String hub, String child, String node, long incarnation, Kind kind,
    String detail, long value) {

    enum Kind { START, ROLE, RESTORE, CHECKPOINT, STOP }

    String toLine() {
        return micros + "|" + instance + "|" + hub + "|" + child + "|" + node + "|" + incarnation + "|" + kind + "|" + detail + "|" + value;
    }

    static Event parse(String line) {
        String[] f = line.split("\\|", -1);
        if (f.length != 9)
            throw new IllegalArgumentException("not a chaos event: " + line);
        return new Event(Long.parseLong(f[0]), f[1], f[2], f[3], f[4], Long.parseLong(f[5]), Kind.valueOf(f[6]), f[7],
            Long.parseLong(f[8]));
    }

    /** The JVM that wrote the event: the tag before the instance's sequence number. */
    String jvm() {
        return instance.substring(0, instance.lastIndexOf(':'));
    }
}
