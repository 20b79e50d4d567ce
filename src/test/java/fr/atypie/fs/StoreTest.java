package fr.atypie.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;

/** Where a location string leads. */
class StoreTest {
    @Test
    void aFileSystemNamedWithoutAPathIsItsRoot() {
        // No name node is contacted: the HDFS client connects on its first call only.
        Store root = Store.at("hdfs://localhost:1", new Configuration());
        assertEquals("hdfs://localhost:1/", root.toString());
        assertEquals("hdfs://localhost:1/risk/extract", root.child("risk").child("extract").toString());
        assertEquals("hdfs://localhost:1/out", Store.at("hdfs://localhost:1/out", new Configuration()).toString());
    }
}
