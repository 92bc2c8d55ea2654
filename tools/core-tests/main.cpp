// Entry point of mrkit's C++ core tests (doctest supplies main()).
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>
