/* Fuzz target: the pkcs7 reader (reader_pkcs7.read behind its probe). */
#include "config.h"

#include "fuzz.h"

FUZZ_ENTRY(reader_pkcs7)
{
	return fuzz_reader(&reader_pkcs7, data, size);
}
