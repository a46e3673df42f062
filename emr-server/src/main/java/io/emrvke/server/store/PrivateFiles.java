package io.emrvke.server.store;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Files of the data directory, which only the owner may read: folders 0700, files 0600. Whatever
 * the server writes there (store, keys, credentials, sandbox state, kubeconfigs, charts) goes
 * through here or is tightened here, so another local user reads nothing of it, whatever the umask.
 *
 * <p>On a file system without POSIX permissions nothing is changed: the folder's own protection is
 * all there is.
 */
public final class PrivateFiles {
    static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
    static final Set<PosixFilePermission> FOLDER = PosixFilePermissions.fromString("rwx------");

    private PrivateFiles() {
    }

    /** A path tightened by {@link #tighten}, with the permissions it had. */
    public record Tightened(Path path, String before) {
        /** {@code store/emr-vke.mv.db (was rw-r--r--)}: the path as seen from {@code root}. */
        public String relativeTo(Path root) {
            Path shown = path.equals(root) ? Path.of(".") : root.relativize(path);
            return shown + " (was " + before + ")";
        }

        @Override
        public String toString() {
            return path + " (was " + before + ")";
        }
    }

    /** Creates the folder and any missing parents, each new one 0700; existing ones are left as they are. */
    public static Path createDirectories(Path dir) {
        try {
            if (Files.isDirectory(dir)) {
                return dir;
            }
            return isPosix(nearestExisting(dir)) ? Files.createDirectories(dir, folderAttribute())
                    : Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the folder " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Replaces {@code target} with {@code text} atomically (a 0600 temp file renamed over it), so that
     * the file never exists with wider rights nor half written.
     */
    public static void writeString(Path target, String text) throws IOException {
        write(target, text.getBytes(StandardCharsets.UTF_8));
    }

    /** {@link #writeString} for bytes. */
    public static void write(Path target, byte[] bytes) throws IOException {
        write(target, out -> out.write(bytes));
    }

    /** What {@link #write(Path, Content)} writes, streamed: a large file needs no copy of it in memory. */
    @FunctionalInterface
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    /** {@link #writeString} for content written to a stream. */
    public static void write(Path target, Content content) throws IOException {
        Path parent = target.toAbsolutePath().getParent();
        createDirectories(parent);
        Path tmp = parent.resolve(target.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        createFile(tmp);
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
            content.writeTo(out);
        }
        try {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Creates an empty 0600 file; fails when it exists. */
    public static void createFile(Path file) throws IOException {
        if (isPosix(file.toAbsolutePath().getParent())) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(FILE));
        } else {
            Files.createFile(file);
        }
    }

    /** Makes one existing file 0600 (a folder 0700); symbolic links are left alone. */
    public static void restrict(Path path) throws IOException {
        if (!Files.isSymbolicLink(path) && isPosix(path)) {
            Files.setPosixFilePermissions(path, Files.isDirectory(path) ? FOLDER : FILE);
        }
    }

    /**
     * Makes {@code root} and everything under it owner-only (folders 0700, everything else 0600),
     * without following symbolic links; returns what had wider or other rights.
     */
    public static List<Tightened> tighten(Path root) {
        List<Tightened> changed = new ArrayList<>();
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS) || !isPosix(root)) {
            return changed;
        }
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                    tightenOne(dir, FOLDER, changed);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    if (!attrs.isSymbolicLink()) {
                        tightenOne(file, FILE, changed);
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    // a file removed while walking (a temp file renamed away) has nothing left to protect
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot restrict the permissions under " + root + ": " + e.getMessage(), e);
        }
        return changed;
    }

    private static void tightenOne(Path path, Set<PosixFilePermission> wanted, List<Tightened> changed)
            throws IOException {
        Set<PosixFilePermission> now = Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS);
        if (!now.equals(wanted)) {
            Files.setPosixFilePermissions(path, wanted);
            changed.add(new Tightened(path, PosixFilePermissions.toString(now)));
        }
    }

    private static FileAttribute<Set<PosixFilePermission>> folderAttribute() {
        return PosixFilePermissions.asFileAttribute(FOLDER);
    }

    private static Path nearestExisting(Path path) {
        Path p = path.toAbsolutePath();
        while (p != null && !Files.exists(p)) {
            p = p.getParent();
        }
        return p;
    }

    private static boolean isPosix(Path path) {
        return path != null && Files.getFileAttributeView(path, java.nio.file.attribute.PosixFileAttributeView.class,
                LinkOption.NOFOLLOW_LINKS) != null;
    }
}
