package io.processhub.bench;

import io.processhub.ChildRef;
import io.processhub.ChildSpec;

/** One child change as a batched registry layout stores it: a start (spec and replica ref) or a stop (tombstone). */
final class FloorChange {
    final String childId;
    final ChildSpec spec;
    final ChildRef ref;

    private FloorChange(String childId, ChildSpec spec, ChildRef ref) {
        this.childId = childId;
        this.spec = spec;
        this.ref = ref;
    }

    static FloorChange start(ChildSpec spec, ChildRef ref) {
        return new FloorChange(spec.id(), spec, ref);
    }

    static FloorChange stop(String childId) {
        return new FloorChange(childId, null, null);
    }

    boolean isStop() {
        return spec == null;
    }
}
