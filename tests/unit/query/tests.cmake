# unit tests of lib/query that need more than wn_query:
# test_fts5 checks the evaluator against SQLite's FTS5, an independent engine.
if(TARGET unit_query_test_fts5)
  pkg_check_modules(SQLITE3 REQUIRED IMPORTED_TARGET sqlite3)
  target_link_libraries(unit_query_test_fts5 PRIVATE PkgConfig::SQLITE3)
endif()
