package io.processhub.tests.children;

import org.apache.ignite.binary.BinaryObjectException;
import org.apache.ignite.binary.BinaryReader;
import org.apache.ignite.binary.BinaryWriter;
import org.apache.ignite.binary.Binarylizable;

/**
 * A message a thin client can write but no server can read back: its {@code readBinary} always throws. It makes
 * Ignite itself fail a request on the server, outside ProcessHub's code.
 */
public class UnreadableMessage implements Binarylizable {
    private String text = "written";

    @Override
    public void writeBinary(BinaryWriter writer) throws BinaryObjectException {
        writer.writeString("text", text);
    }

    @Override
    public void readBinary(BinaryReader reader) throws BinaryObjectException {
        throw new BinaryObjectException("UnreadableMessage refuses to be read");
    }
}
