package io.emrvke.server.store;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import org.h2.store.fs.FilePath;
import org.h2.store.fs.FilePathWrapper;

/**
 * H2's file system for the embedded store ({@code jdbc:h2:private:/...}): the disk, except that every
 * file H2 creates (store, trace, temporary and compaction files) is made 0600 and every folder 0700
 * as it is created. H2 itself creates them with the process umask (usually 0644). Public only because
 * H2 instantiates it by reflection.
 */
public final class OwnerOnlyFilePath extends FilePathWrapper {
    static final String SCHEME = "private";

    static {
        FilePath.register(new OwnerOnlyFilePath());
    }

    /** For H2, which makes one instance per path by reflection; use {@link #register}. */
    public OwnerOnlyFilePath() {
    }

    /** Makes the scheme known to H2 (once per class loader); call before opening a {@code private:} URL. */
    static void register() {
        // the static initializer did it
    }

    @Override
    public String getScheme() {
        return SCHEME;
    }

    @Override
    public void createDirectory() {
        super.createDirectory();
        restrict();
    }

    @Override
    public boolean createFile() {
        boolean created = super.createFile();
        if (created) {
            restrict();
        }
        return created;
    }

    @Override
    public FileChannel open(String mode) throws IOException {
        return restrictedIfCreated(() -> super.open(mode));
    }

    @Override
    public OutputStream newOutputStream(boolean append) throws IOException {
        return restrictedIfCreated(() -> super.newOutputStream(append));
    }

    @Override
    public FilePath createTempFile(String suffix, boolean inTempDir) throws IOException {
        FilePath created = super.createTempFile(suffix, inTempDir);
        PrivateFiles.restrict(Path.of(created.unwrap().toString()));
        return created;
    }

    /** What {@code opening} returns; the file made owner-only when opening it created it. */
    private <T> T restrictedIfCreated(Opening<T> opening) throws IOException {
        boolean existed = exists();
        T opened = opening.open();
        if (!existed) {
            restrict();
        }
        return opened;
    }

    @FunctionalInterface
    private interface Opening<T> {
        T open() throws IOException;
    }

    private void restrict() {
        try {
            PrivateFiles.restrict(Path.of(getBase().toString()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make " + getBase() + " owner-only: " + e.getMessage(), e);
        }
    }
}
