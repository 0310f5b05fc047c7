package io.processhub;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Copies for the result classes: what {@code List.copyOf} checks, into a list Ignite's binary marshaller writes as such. */
final class Results {
    private Results() {
    }

    /** A copy of {@code list}; like {@code List.copyOf}, a null list or element is a NullPointerException. */
    static <T> ArrayList<T> copy(List<T> list) {
        ArrayList<T> res = new ArrayList<>(list);
        for (T e : res)
            Objects.requireNonNull(e, "element");
        return res;
    }
}
