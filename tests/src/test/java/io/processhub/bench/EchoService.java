package io.processhub.bench;

import org.apache.ignite.services.Service;

/**
 * The anchor of the thin-client figures: a plain Ignite service with one method that does nothing, deployed as a
 * node singleton like ProcessHub's own thin-client service, called through the same {@code IgniteClient}.
 */
public class EchoService implements Service, EchoApi {
    private static final long serialVersionUID = 1L;

    @Override
    public Object echo(Object message) {
        return message;
    }
}
