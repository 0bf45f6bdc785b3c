/* Fuzz target: the index reader (reader_index.read behind its probe). */
#include "config.h"

#include "fuzz.h"

FUZZ_ENTRY(reader_index)
{
	return fuzz_reader(&reader_index, data, size);
}
