package dev.parley.connect.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/** Small JDBC helpers for the tests, and the shipped SQL files (connectors/sql). */
public final class Sql {

    private final DataSource dataSource;

    public Sql(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public static Path dir() {
        return Path.of(System.getProperty("parley.connect.sql.dir", "sql"));
    }

    public static String file(String name) {
        try {
            return Files.readString(dir().resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The queries of a file whose queries each follow a line {@code -- name: <name>}. */
    public static Map<String, String> named(String fileName) {
        Map<String, String> out = new LinkedHashMap<>();
        String name = null;
        StringBuilder q = new StringBuilder();
        for (String line : file(fileName).split("\n")) {
            if (line.startsWith("-- name:")) {
                if (name != null) {
                    out.put(name, q.toString().trim());
                }
                name = line.substring("-- name:".length()).trim();
                q.setLength(0);
            } else if (name != null && !line.startsWith("--")) {
                q.append(line).append('\n');
            }
        }
        if (name != null) {
            out.put(name, q.toString().trim());
        }
        out.replaceAll((k, v) -> v.endsWith(";") ? v.substring(0, v.length() - 1) : v);
        return out;
    }

    public List<Map<String, Object>> rows(String sql) {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            ResultSetMetaData md = rs.getMetaData();
            List<Map<String, Object>> out = new ArrayList<>();
            while (rs.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    row.put(md.getColumnLabel(i), rs.getObject(i));
                }
                out.add(row);
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    public long count(String sql) {
        return ((Number) rows(sql).get(0).values().iterator().next()).longValue();
    }

    /** Rows, or an empty list while the table does not exist yet. */
    public List<Map<String, Object>> rowsIfTableExists(String table, String sql) {
        if (!tableExists(table)) {
            return List.of();
        }
        return rows(sql);
    }

    public boolean tableExists(String table) {
        return count("SELECT COUNT(*) FROM information_schema.tables WHERE table_name = '" + table + "'") > 0;
    }

    /** column name -> data type, of a table. */
    public Map<String, String> columns(String table) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map<String, Object> r : rows("SELECT column_name, data_type, is_nullable FROM information_schema.columns"
                + " WHERE table_name = '" + table + "' ORDER BY ordinal_position")) {
            out.put((String) r.get("column_name"), r.get("data_type") + ("YES".equals(r.get("is_nullable")) ? " null" : " not null"));
        }
        return out;
    }

    public int update(String sql) {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            return s.executeUpdate(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }
}
