import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the DuckDB peer (full-refresh.sql) over an extract on 2 threads and prints its row counts.
 * Usage, as bin/benchmark runs it (a single-file program: no build, DuckDB's JDBC jar from Maven
 * Central on the class path; never part of the job's own class path):
 * {@code java -cp duckdb_jdbc-1.4.1.0.jar benchmark/peer/Peer.java SQL EXTRACT_DIR YYYY-MM OUT_DIR}
 */
public class Peer {
    public static void main(String[] a) throws Exception {
        if (a.length != 4) {
            System.err.println("usage: Peer SQL_FILE EXTRACT_DIR YYYY-MM OUT_DIR");
            System.exit(2);
        }
        YearMonth end = YearMonth.parse(a[2]);
        Path out = Files.createDirectories(Path.of(a[3])).toAbsolutePath();
        StringBuilder sql = new StringBuilder();
        for (String line : Files.readAllLines(Path.of(a[0]))) {
            if (!line.strip().startsWith("--")) {
                sql.append(line).append('\n');
            }
        }
        String text = sql.toString()
                .replace("${X}", Path.of(a[1]).toAbsolutePath().normalize().toString())
                .replace("${END}", end.atDay(1).toString())
                .replace("${START}", end.minusMonths(23).atDay(1).toString())
                .replace("${O}", out.toString());
        List<String> statements = new ArrayList<>(List.of("PRAGMA threads=2", "SET preserve_insertion_order=false"));
        for (String s : text.split(";")) {
            if (!s.isBlank()) {
                statements.add(s.strip());
            }
        }
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement()) {
            for (String q : statements) {
                if (st.execute(q)) {
                    try (ResultSet rs = st.getResultSet()) {
                        int n = rs.getMetaData().getColumnCount();
                        while (rs.next()) {
                            StringBuilder b = new StringBuilder();
                            for (int i = 1; i <= n; i++) {
                                b.append(i > 1 ? "\t" : "").append(rs.getMetaData().getColumnLabel(i)).append('=')
                                        .append(rs.getString(i));
                            }
                            System.out.println(b);
                        }
                    }
                }
            }
        }
    }
}
