/* Fuzz target: the pkcs12 reader (reader_pkcs12.read behind its probe). */
#include "config.h"

#include "fuzz.h"

FUZZ_ENTRY(reader_pkcs12)
{
	return fuzz_reader(&reader_pkcs12, data, size);
}
