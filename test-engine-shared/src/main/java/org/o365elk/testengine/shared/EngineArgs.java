package org.o365elk.testengine.shared;

import java.nio.file.Path;

/** The command line: {@code --dir DIR [--port N] [--keep-data true|false]}. */
record EngineArgs(Path dir, int port, boolean keepData) {
    /** {@code program} is the main class's simple name, for the usage line. */
    static EngineArgs parse(String program, String[] args) {
        String usage = "usage: " + program + " --dir DIR [--port N] [--keep-data true|false]";
        Path dir = null;
        int port = 0;
        boolean keepData = false;
        for (int i = 0; i < args.length; i += 2) {
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(args[i] + " needs a value; " + usage);
            }
            switch (args[i]) {
                case "--dir" -> dir = Path.of(args[i + 1]).toAbsolutePath();
                case "--port" -> port = parsePort(args[i + 1]);
                case "--keep-data" -> keepData = parseBoolean("--keep-data", args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i] + "; " + usage);
            }
        }
        if (dir == null) {
            throw new IllegalArgumentException("--dir is required; " + usage);
        }
        return new EngineArgs(dir, port, keepData);
    }

    private static boolean parseBoolean(String option, String value) {
        return switch (value) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException(option + " must be true or false, got " + value);
        };
    }

    private static int parsePort(String value) {
        try {
            int port = Integer.parseInt(value);
            if (port >= 0 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException ignored) {
            // reported below, with the same message as an out-of-range number
        }
        throw new IllegalArgumentException("--port must be a number from 0 to 65535, got " + value);
    }
}
