package io.processhub.bench;

/** What the thin-client proxy of an {@link EchoService} exposes. */
public interface EchoApi {
    /** Answers its argument. */
    Object echo(Object message);
}
