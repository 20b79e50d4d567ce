package fr.atypie.publish;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Reads an XLSX back with the JDK only (it is a zip of XML parts), for the tests: sheet names,
 * cell values (numbers as BigDecimal, text as String) and the style facts the tests check.
 */
public final class XlsxReader {
    public final Map<String, byte[]> parts = new LinkedHashMap<>();
    public final List<String> sheetNames = new ArrayList<>();
    private final List<String> shared = new ArrayList<>();

    public XlsxReader(Path file) throws Exception {
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(file))) {
            for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                parts.put(e.getName(), zip.readAllBytes());
            }
        }
        NodeList sheets = xml("xl/workbook.xml").getElementsByTagName("sheet");
        for (int i = 0; i < sheets.getLength(); i++) {
            sheetNames.add(((Element) sheets.item(i)).getAttribute("name"));
        }
        if (parts.containsKey("xl/sharedStrings.xml")) {
            NodeList si = xml("xl/sharedStrings.xml").getElementsByTagName("si");
            for (int i = 0; i < si.getLength(); i++) {
                shared.add(si.item(i).getTextContent());
            }
        }
    }

    Document xml(String part) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(false);
        try (InputStream in = new ByteArrayInputStream(parts.get(part))) {
            return f.newDocumentBuilder().parse(in);
        }
    }

    Document sheetXml(String name) throws Exception {
        return xml("xl/worksheets/sheet" + (sheetNames.indexOf(name) + 1) + ".xml");
    }

    /** Rows of a sheet as lists of values, blank cells as null, up to the last cell of each row. */
    public List<List<Object>> cells(String sheet) throws Exception {
        List<List<Object>> rows = new ArrayList<>();
        NodeList rowNodes = sheetXml(sheet).getElementsByTagName("row");
        for (int r = 0; r < rowNodes.getLength(); r++) {
            List<Object> values = new ArrayList<>();
            NodeList cs = ((Element) rowNodes.item(r)).getElementsByTagName("c");
            for (int c = 0; c < cs.getLength(); c++) {
                Element cell = (Element) cs.item(c);
                int col = column(cell.getAttribute("r"));
                while (values.size() < col) {
                    values.add(null);
                }
                values.add(value(cell));
            }
            rows.add(values);
        }
        return rows;
    }

    /** Style index → whether its font is bold; and cell reference → style index. */
    boolean bold(String sheet, String ref) throws Exception {
        Element cell = cell(sheet, ref);
        int xf = styleIndex(cell);
        Document styles = xml("xl/styles.xml");
        Element cellXfs = (Element) styles.getElementsByTagName("cellXfs").item(0);
        Element xfEl = (Element) cellXfs.getElementsByTagName("xf").item(xf);
        int fontId = Integer.parseInt(xfEl.getAttribute("fontId"));
        Element font = (Element) ((Element) styles.getElementsByTagName("fonts").item(0)).getElementsByTagName("font").item(fontId);
        return font.getElementsByTagName("b").getLength() == 1;
    }

    /** Number format code of a cell's style. */
    String numberFormat(String sheet, String ref) throws Exception {
        int xf = styleIndex(cell(sheet, ref));
        Document styles = xml("xl/styles.xml");
        Element cellXfs = (Element) styles.getElementsByTagName("cellXfs").item(0);
        String id = ((Element) cellXfs.getElementsByTagName("xf").item(xf)).getAttribute("numFmtId");
        Map<String, String> codes = new HashMap<>();
        NodeList fmts = styles.getElementsByTagName("numFmt");
        for (int i = 0; i < fmts.getLength(); i++) {
            Element f = (Element) fmts.item(i);
            codes.put(f.getAttribute("numFmtId"), f.getAttribute("formatCode"));
        }
        return codes.getOrDefault(id, "builtin:" + id);
    }

    /** A cell without an "s" attribute has the default style 0. */
    private static int styleIndex(Element cell) {
        String s = cell.getAttribute("s");
        return s.isEmpty() ? 0 : Integer.parseInt(s);
    }

    private Element cell(String sheet, String ref) throws Exception {
        NodeList cs = sheetXml(sheet).getElementsByTagName("c");
        for (int i = 0; i < cs.getLength(); i++) {
            if (((Element) cs.item(i)).getAttribute("r").equals(ref)) {
                return (Element) cs.item(i);
            }
        }
        throw new IllegalArgumentException("no cell " + ref + " in " + sheet);
    }

    private Object value(Element cell) {
        String t = cell.getAttribute("t");
        NodeList v = cell.getElementsByTagName("v");
        if (t.equals("inlineStr")) {
            return cell.getTextContent();
        }
        if (v.getLength() == 0) {
            return null;
        }
        String text = v.item(0).getTextContent();
        if (t.equals("s")) {
            return shared.get(Integer.parseInt(text));
        }
        if (t.equals("str")) {
            return text;
        }
        return new BigDecimal(text).stripTrailingZeros();
    }

    private static int column(String ref) {
        int col = 0;
        for (char ch : ref.toCharArray()) {
            if (Character.isLetter(ch)) {
                col = col * 26 + (ch - 'A' + 1);
            }
        }
        return col - 1;
    }

    static BigDecimal num(String s) {
        return new BigDecimal(s).stripTrailingZeros();
    }

    static byte[] bytes(Path p) throws IOException {
        return Files.readAllBytes(p);
    }
}
