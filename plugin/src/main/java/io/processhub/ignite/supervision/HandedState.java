package io.processhub.ignite.supervision;

import io.processhub.ignite.supervision.casts.CastOrder;
/**
 * What a moving child hands to its next instance: the user's state and where each sender's casts stood (the last one
 * handled, those that came early), so the next instance goes on with the casts from there, in order and each once.
 * Built and opened by the supervisor only; it travels as an opaque state in between.
 */
final class HandedState {
    final Object state;
    final CastOrder casts;

    HandedState(Object state, CastOrder casts) {
        this.state = state;
        this.casts = casts;
    }
}
