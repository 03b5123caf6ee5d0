package org.bobbob.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Objects;

/** Stream views of Late handles. Closing a view closes (finishes) its handle. */
final class HandleStreams {
    private HandleStreams() {}

    static final class Output extends OutputStream {
        private final ObjectWriter writer;
        private final byte[] one = new byte[1];

        Output(ObjectWriter writer) {
            this.writer = writer;
        }

        @Override
        public void write(int b) throws IOException {
            one[0] = (byte) b;
            writer.write(ByteBuffer.wrap(one));
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            writer.write(ByteBuffer.wrap(b, off, len));
        }

        @Override
        public void close() throws IOException {
            writer.close();
        }
    }

    static final class Input extends InputStream {
        private final ObjectReader reader;
        private final byte[] one = new byte[1];
        private long remaining;

        Input(ObjectReader reader) {
            this.reader = reader;
            this.remaining = reader.size();
        }

        @Override
        public int read() throws IOException {
            int n = read(one, 0, 1);
            return n <= 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            if (len == 0) {
                return 0;
            }
            int n;
            do {
                n = reader.read(ByteBuffer.wrap(b, off, len));
            } while (n == 0);
            if (n > 0) {
                remaining -= n;
            }
            return n;
        }

        @Override
        public int available() {
            return (int) Math.min(Integer.MAX_VALUE, Math.max(0, remaining));
        }

        @Override
        public void close() throws IOException {
            reader.close();
        }
    }
}
