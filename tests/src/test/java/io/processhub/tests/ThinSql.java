package io.processhub.tests;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.ignite.Ignite;

/**
 * SQL over the JDBC thin driver (in ignite-core), connected to one node: {@code SYS} views answer with that node's
 * rows. The nodes need an SQL engine on their classpath (ignite-indexing here).
 */
final class ThinSql {
    private ThinSql() {
    }

    /** The node's thin-client (and JDBC, ODBC) port. */
    static int port(Ignite node) {
        return ((Number)node.cluster().localNode().attribute("clientListenerPort")).intValue();
    }

    /** Rows as column name (upper case, as SQL names it) → value. */
    static List<Map<String, Object>> query(Ignite node, String sql, Object... params) throws Exception {
        try (Connection conn = DriverManager.getConnection("jdbc:ignite:thin://127.0.0.1:" + port(node));
             PreparedStatement st = conn.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++)
                st.setObject(i + 1, params[i]);
            List<Map<String, Object>> rows = new ArrayList<>();
            try (ResultSet rs = st.executeQuery()) {
                ResultSetMetaData md = rs.getMetaData();
                while (rs.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int c = 1; c <= md.getColumnCount(); c++)
                        row.put(md.getColumnLabel(c), rs.getObject(c));
                    rows.add(row);
                }
            }
            return rows;
        }
    }
}
