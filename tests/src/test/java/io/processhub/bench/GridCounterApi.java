package io.processhub.bench;

/** What the proxy of a {@link GridCounter} service exposes. */
public interface GridCounterApi {
    long get();
}
