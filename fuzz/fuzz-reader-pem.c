/* Fuzz target: the pem reader (reader_pem.read behind its probe). */
#include "config.h"

#include "fuzz.h"

FUZZ_ENTRY(reader_pem)
{
	return fuzz_reader(&reader_pem, data, size);
}
