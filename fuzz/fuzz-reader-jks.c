/* Fuzz target: the jks reader (reader_jks.read behind its probe). */
#include "config.h"

#include "fuzz.h"

FUZZ_ENTRY(reader_jks)
{
	return fuzz_reader(&reader_jks, data, size);
}
