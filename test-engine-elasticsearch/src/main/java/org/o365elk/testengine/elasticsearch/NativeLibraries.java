package org.o365elk.testengine.elasticsearch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The distribution's native libraries (lib/platform) are not published to Maven Central. Without zstd,
 * every index using best_compression (logsdb, among others) fails on its first refresh; the system's
 * libzstd has the same C API, so a link to it stands in. The SIMD vector library has no stand-in, and
 * a missing one would switch native access off as a whole, so it is disabled instead.
 */
final class NativeLibraries {
    /** Where Debian and other distributions put shared libraries. */
    private static final List<Path> LIBRARY_DIRECTORIES = List.of(
        Path.of("/usr/lib/x86_64-linux-gnu"),
        Path.of("/lib/x86_64-linux-gnu"),
        Path.of("/usr/lib/aarch64-linux-gnu"),
        Path.of("/lib/aarch64-linux-gnu"),
        Path.of("/usr/lib64"),
        Path.of("/lib64"),
        Path.of("/usr/lib"),
        Path.of("/lib"));
    private static final String SYSTEM_ZSTD = "libzstd.so.1";

    private NativeLibraries() {}

    static void useSystemZstd(Path directory) throws IOException {
        Path zstd = LIBRARY_DIRECTORIES.stream()
            .map(libraries -> libraries.resolve(SYSTEM_ZSTD))
            .filter(Files::isReadable)
            .findFirst()
            .orElseThrow(() -> new IllegalStateException(
                SYSTEM_ZSTD + " not found in " + LIBRARY_DIRECTORIES + ": install it (Debian: apt-get install libzstd1)"));
        Files.createDirectories(directory);
        Path link = directory.resolve(System.mapLibraryName("zstd"));
        Files.deleteIfExists(link);
        Files.createSymbolicLink(link, zstd);
        System.setProperty("es.nativelibs.path", directory.toString());
        System.setProperty("org.elasticsearch.nativeaccess.enableVectorLibrary", "false");
    }
}
