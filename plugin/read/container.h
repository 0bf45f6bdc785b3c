/*
 * Private declarations of the container readers (PKCS#7, PKCS#12, JKS).
 * Not part of extern.h: only reader_pkcs7.c, reader_pkcs12.c, reader_jks.c,
 * ossl_p12.c and their tests use them.
 */
#ifndef CCE_CONTAINER_H
#define CCE_CONTAINER_H

#include <stddef.h>

/*
 * Reads one BER/DER identifier and length at p (low tag numbers only).
 * Sets *tag, *hlen (header bytes), *clen (content bytes, which may exceed
 * what is left: callers decide about truncation) and *indef (indefinite
 * length, constructed only). Returns 0 if the header itself is malformed or
 * cut off.
 */
int	 cont_der_header(const unsigned char *p, size_t len, unsigned int *tag,
	    size_t *hlen, size_t *clen, int *indef);
/* Total length of the BER element at p (indefinite lengths followed to
 * their end-of-contents), 0 if malformed or longer than len. */
size_t	 cont_ber_len(const unsigned char *p, size_t len);

/* ossl_p12.c: the whole PKCS#12 read through OpenSSL (MAC, decryption,
 * bags); reports every certificate, error and note through the sink. */
void	 ossl_p12_read(struct sink *, const unsigned char *p, size_t len);

#endif
