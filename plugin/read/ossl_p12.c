/*
 * PKCS#12 through OpenSSL: the second home of OpenSSL (after ossl.c), for
 * PKCS#12 only.
 *
 * Passwords tried: none (NULL), empty (""), then the configured one. The one
 * that verifies the MAC decrypts the certificate safes. When none verifies
 * it, certificates stored in clear are still read, and decrypting with the
 * candidates tells a damaged file (the password opens the contents: the MAC
 * is wrong) from a missing or wrong password. Old Windows exports use
 * RC2-40, which OpenSSL 3 keeps in its "legacy" provider: it is loaded once,
 * and its absence is named when such a file cannot be read.
 *
 * The password is never printed; OpenSSL wipes its derived copies.
 */
#include "config.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/opensslv.h>
#include <openssl/pkcs12.h>
#include <openssl/x509.h>
#if OPENSSL_VERSION_NUMBER >= 0x30000000L && !defined(LIBRESSL_VERSION_NUMBER)
#include <openssl/provider.h>
#define P12_PROVIDERS 1
#endif

#include "extern.h"
#include "container.h"

#define P12_MAX_DEPTH	4	/* nested safeContentsBag */
#define P12_MAX_CERTS	100000
/* Above this, a key derivation is a denial of service, not a protection
 * (real files use 2000 to 100000). */
#define P12_MAX_ITER	2000000L

struct p12pw {
	const char	*pw;
	int		 len;
	const char	*what;		/* for notes: never the password itself */
};

struct p12cert {
	unsigned char	*der;
	size_t		 len;
	char		*alias;
};

struct p12ctx {
	struct sink	*s;
	struct p12cert	*certs;
	size_t		 ncerts;
	const struct p12pw *pws;
	size_t		 npws;
	int		 test_keys;	/* try candidates on shrouded keys */
	int		 key_opened;	/* a candidate decrypted a key */
	size_t		 nbadbags;
	size_t		 ndecrypted;	/* encrypted safes opened */
	size_t		 nlocked;	/* encrypted safes not opened */
	size_t		 nother;	/* enveloped or unknown safes */
	int		 locked_nid;	/* algorithm of the first locked safe */
	unsigned long	 locked_err;	/* OpenSSL error of the first locked safe */
	int		 overflow;
	long		 costly;	/* an iteration count above the limit */
};

static pthread_once_t legacy_once = PTHREAD_ONCE_INIT;
static int legacy_loaded;
#ifdef P12_PROVIDERS
static OSSL_PROVIDER *prov_legacy, *prov_default;	/* kept for the run */
#endif

#ifdef P12_PROVIDERS
/* Providers loaded by hand must be unloaded by hand: left to OpenSSL's own
 * exit-time cleanup, the module is unloaded under objects that still point
 * into it (LeakSanitizer reports them). atexit handlers run in reverse
 * order, so this runs before OpenSSL's cleanup. */
static void
legacy_unload(void)
{
	if (prov_legacy != NULL)
		OSSL_PROVIDER_unload(prov_legacy);
	if (prov_default != NULL)
		OSSL_PROVIDER_unload(prov_default);
	prov_legacy = prov_default = NULL;
}
#endif

static void
legacy_load(void)
{
#ifdef P12_PROVIDERS
	/* OpenSSL registers its own exit cleanup lazily (OPENSSL_init_crypto
	 * with no option does nothing): make it register now, so that
	 * legacy_unload, registered after it, runs before it. */
	OPENSSL_init_crypto(OPENSSL_INIT_LOAD_CRYPTO_STRINGS, NULL);
	atexit(legacy_unload);
	/* Loading any provider explicitly turns off the implicit default:
	 * load both. */
	if ((prov_legacy = OSSL_PROVIDER_load(NULL, "legacy")) != NULL)
		legacy_loaded = 1;
	prov_default = OSSL_PROVIDER_load(NULL, "default");
	ERR_clear_error();
#else
	legacy_loaded = 1;	/* OpenSSL 1.1 and LibreSSL have RC2 built in */
#endif
}

static int
nid_is_legacy(int nid)
{
	switch (nid) {
	case NID_pbe_WithSHA1And40BitRC2_CBC:
	case NID_pbe_WithSHA1And128BitRC2_CBC:
	case NID_pbe_WithSHA1And40BitRC4:
	case NID_pbe_WithSHA1And128BitRC4:
	case NID_pbeWithMD5AndDES_CBC:
	case NID_pbeWithSHA1AndDES_CBC:
	case NID_pbeWithMD5AndRC2_CBC:
	case NID_pbeWithSHA1AndRC2_CBC:
		return 1;
	}
	return 0;
}

/* Iteration count of a PKCS#5/PKCS#12 PBE or PBES2/PBKDF2 algorithm: 0 if
 * there is none to find, -1 if it does not fit a long. */
static long
p12_alg_iter(const X509_ALGOR *alg)
{
	PBEPARAM *pbe;
	PBE2PARAM *pbe2;
	PBKDF2PARAM *kdf;
	long iter = 0;

	if (alg == NULL || alg->parameter == NULL)
		return 0;
	if (OBJ_obj2nid(alg->algorithm) == NID_pbes2) {
		pbe2 = ASN1_TYPE_unpack_sequence(ASN1_ITEM_rptr(PBE2PARAM),
		    alg->parameter);
		if (pbe2 == NULL)
			return 0;
		if (pbe2->keyfunc != NULL &&
		    OBJ_obj2nid(pbe2->keyfunc->algorithm) == NID_id_pbkdf2 &&
		    (kdf = ASN1_TYPE_unpack_sequence(ASN1_ITEM_rptr(PBKDF2PARAM),
		    pbe2->keyfunc->parameter)) != NULL) {
			iter = ASN1_INTEGER_get(kdf->iter);
			PBKDF2PARAM_free(kdf);
		}
		PBE2PARAM_free(pbe2);
	} else if ((pbe = ASN1_TYPE_unpack_sequence(ASN1_ITEM_rptr(PBEPARAM),
	    alg->parameter)) != NULL) {
		iter = ASN1_INTEGER_get(pbe->iter);
		PBEPARAM_free(pbe);
	}
	ERR_clear_error();
	return iter;
}

static int
iter_too_costly(long iter)
{
	return iter < 0 || iter > P12_MAX_ITER;
}

static void
p12_add_cert(struct p12ctx *x, const unsigned char *der, size_t len, char *alias)
{
	struct p12cert *c;

	if (x->ncerts >= P12_MAX_CERTS) {
		x->overflow = 1;
		free(alias);
		return;
	}
	x->certs = xreallocarray(x->certs, x->ncerts + 1, sizeof(*x->certs));
	c = &x->certs[x->ncerts++];
	c->der = xmalloc(len);
	memcpy(c->der, der, len);
	c->len = len;
	c->alias = alias;
}

static char *
bag_alias(PKCS12_SAFEBAG *bag)
{
	char *name, *copy;

	if ((name = PKCS12_get_friendlyname(bag)) == NULL)
		return NULL;
	copy = utf8_valid((const unsigned char *)name, strlen(name)) ?
	    xstrdup(name) : utf8_repair((const unsigned char *)name, strlen(name));
	OPENSSL_free(name);
	return copy;
}

/* The certificate re-encoded from OpenSSL's parse: X509 keeps the encoding
 * of its signed part, so this is the stored DER for any sane certificate. */
static void
p12_cert_bag(struct p12ctx *x, PKCS12_SAFEBAG *bag)
{
	unsigned char *der = NULL;
	X509 *cert;
	int n;

	if ((cert = PKCS12_SAFEBAG_get1_cert(bag)) == NULL ||
	    (n = i2d_X509(cert, &der)) <= 0) {
		X509_free(cert);
		ERR_clear_error();
		x->nbadbags++;
		return;
	}
	p12_add_cert(x, der, (size_t)n, bag_alias(bag));
	OPENSSL_free(der);
	X509_free(cert);
}

static void
p12_test_key(struct p12ctx *x, const PKCS12_SAFEBAG *bag)
{
	PKCS8_PRIV_KEY_INFO *p8;
	const X509_SIG *sig;
	const X509_ALGOR *alg = NULL;
	long iter;
	size_t i;

	if ((sig = PKCS12_SAFEBAG_get0_pkcs8(bag)) != NULL)
		X509_SIG_get0(sig, &alg, NULL);
	if (iter_too_costly(iter = p12_alg_iter(alg))) {
		x->costly = iter;
		return;
	}
	for (i = 0; i < x->npws && !x->key_opened; i++) {
		p8 = PKCS12_decrypt_skey(bag, x->pws[i].pw, x->pws[i].len);
		if (p8 != NULL) {
			x->key_opened = 1;
			PKCS8_PRIV_KEY_INFO_free(p8);
		}
	}
	ERR_clear_error();
}

static void
p12_bags(struct p12ctx *x, const STACK_OF(PKCS12_SAFEBAG) *bags, int depth)
{
	PKCS12_SAFEBAG *bag;
	int i;

	for (i = 0; i < sk_PKCS12_SAFEBAG_num(bags); i++) {
		bag = sk_PKCS12_SAFEBAG_value(bags, i);
		switch (PKCS12_SAFEBAG_get_nid(bag)) {
		case NID_certBag:
			if (PKCS12_SAFEBAG_get_bag_nid(bag) == NID_x509Certificate)
				p12_cert_bag(x, bag);
			else
				sink_note(x->s, "%s: PKCS#12: skipped a certificate bag "
				    "that is not X.509", sink_path(x->s));
			break;
		case NID_pkcs8ShroudedKeyBag:
			if (x->test_keys)
				p12_test_key(x, bag);
			break;
		case NID_safeContentsBag:
			if (depth < P12_MAX_DEPTH)
				p12_bags(x, PKCS12_SAFEBAG_get0_safes(bag), depth + 1);
			else
				x->nbadbags++;
			break;
		default:
			break;
		}
	}
}

/* Opens an encrypted safe with the first candidate that works, starting
 * with the one that verified the MAC. */
static void
p12_encrypted(struct p12ctx *x, PKCS7 *p7, int first)
{
	STACK_OF(PKCS12_SAFEBAG) *bags = NULL;
	const ASN1_OBJECT *aoid;
	long iter;
	size_t i, k;

	if (p7->d.encrypted != NULL && p7->d.encrypted->enc_data != NULL &&
	    iter_too_costly(iter = p12_alg_iter(p7->d.encrypted->enc_data->algorithm))) {
		x->costly = iter;
		return;
	}
	for (k = 0; k <= x->npws && bags == NULL; k++) {
		if (k == 0 && first < 0)
			continue;
		i = k == 0 ? (size_t)first : k - 1;
		if (k > 0 && first >= 0 && i == (size_t)first)
			continue;
		bags = PKCS12_unpack_p7encdata(p7, x->pws[i].pw, x->pws[i].len);
	}
	if (bags == NULL) {
		if (x->nlocked++ == 0) {
			x->locked_err = ERR_peek_last_error();
			x->locked_nid = NID_undef;
			if (p7->d.encrypted != NULL &&
			    p7->d.encrypted->enc_data != NULL &&
			    p7->d.encrypted->enc_data->algorithm != NULL) {
				X509_ALGOR_get0(&aoid, NULL, NULL,
				    p7->d.encrypted->enc_data->algorithm);
				x->locked_nid = OBJ_obj2nid(aoid);
			}
		}
		ERR_clear_error();
		return;
	}
	x->ndecrypted++;
	p12_bags(x, bags, 0);
	sk_PKCS12_SAFEBAG_pop_free(bags, PKCS12_SAFEBAG_free);
}

static void
p12_safes(struct p12ctx *x, STACK_OF(PKCS7) *safes, int first)
{
	STACK_OF(PKCS12_SAFEBAG) *bags;
	PKCS7 *p7;
	int i;

	for (i = 0; i < sk_PKCS7_num(safes); i++) {
		p7 = sk_PKCS7_value(safes, i);
		switch (OBJ_obj2nid(p7->type)) {
		case NID_pkcs7_data:
			if ((bags = PKCS12_unpack_p7data(p7)) == NULL) {
				x->nbadbags++;
				ERR_clear_error();
				break;
			}
			p12_bags(x, bags, 0);
			sk_PKCS12_SAFEBAG_pop_free(bags, PKCS12_SAFEBAG_free);
			break;
		case NID_pkcs7_encrypted:
			p12_encrypted(x, p7, first);
			break;
		default:
			x->nother++;
			break;
		}
	}
}

static const char *
p12_reason(unsigned long e)
{
	const char *r;

	if (e == 0 || (r = ERR_reason_error_string(e)) == NULL)
		return "unknown OpenSSL error";
	return r;
}

static const char *
nid_name(int nid)
{
	const char *n;

	if (nid == NID_undef || (n = OBJ_nid2ln(nid)) == NULL)
		return "an unknown algorithm";
	return n;
}

/* Says why encrypted certificates could not be read. */
static void
p12_locked_error(struct p12ctx *x, const char *cfgpw, int mac_ok)
{
	if (nid_is_legacy(x->locked_nid) && !legacy_loaded) {
		sink_error(x->s, 0, "PKCS#12 certificates are encrypted with %s, "
		    "which needs OpenSSL's legacy provider, and it could not be "
		    "loaded (install it, or point OPENSSL_MODULES to it)",
		    nid_name(x->locked_nid));
		return;
	}
	if (mac_ok) {
		sink_error(x->s, 0, "PKCS#12: cannot decrypt certificates "
		    "encrypted with %s: %s", nid_name(x->locked_nid),
		    p12_reason(x->locked_err));
		return;
	}
	if (cfgpw == NULL)
		sink_error(x->s, 0, "PKCS#12 password required: the certificates "
		    "are encrypted and the empty password does not open them "
		    "(use --pkcs12-password-file or CHECK_CERT_EXPIRY_PKCS12_PASSWORD)");
	else
		sink_error(x->s, 0, "PKCS#12 wrong password: neither the "
		    "configured nor the empty password opens it");
}

void
ossl_p12_read(struct sink *s, const unsigned char *p, size_t len)
{
	const struct config *cfg = sink_config(s);
	const char *cfgpw = cfg != NULL ? cfg->pkcs12_password : NULL;
	struct sink_cert_meta meta = { "pkcs12", 0, NULL, NULL };
	struct p12pw pws[3] = {
		{ NULL, 0, "no password" },
		{ "", 0, "the empty password" },
		{ NULL, 0, "the configured password" },
	};
	struct p12ctx x;
	const unsigned char *q = p;
	STACK_OF(PKCS7) *safes = NULL;
	PKCS12 *p12 = NULL;
	int mac, good = -1;
	size_t i;

	memset(&x, 0, sizeof(x));
	x.s = s;
	x.pws = pws;
	x.npws = 2;
	if (cfgpw != NULL) {
		pws[2].pw = cfgpw;
		pws[2].len = (int)strlen(cfgpw);
		x.npws = 3;
	}
	(void)pthread_once(&legacy_once, legacy_load);
	if (len > (size_t)INT32_MAX ||
	    (p12 = d2i_PKCS12(NULL, &q, (long)len)) == NULL) {
		sink_error(s, 0, "damaged PKCS#12: %s", p12_reason(ERR_peek_last_error()));
		goto out;
	}
	if ((mac = PKCS12_mac_present(p12)) != 0) {
		const ASN1_INTEGER *miter = NULL;
		long it;

		PKCS12_get0_mac(NULL, NULL, NULL, &miter, p12);
		if (miter != NULL && iter_too_costly(it = ASN1_INTEGER_get(miter))) {
			sink_error(s, 0, "PKCS#12 MAC iteration count %ld is above "
			    "the limit of %ld: not read", it, P12_MAX_ITER);
			goto out;
		}
		for (i = 0; i < x.npws && good < 0; i++)
			if (PKCS12_verify_mac(p12, pws[i].pw, pws[i].len))
				good = (int)i;
		ERR_clear_error();
	}
	x.test_keys = mac && good < 0;
	if ((safes = PKCS12_unpack_authsafes(p12)) == NULL) {
		sink_error(s, 0, "damaged PKCS#12: cannot read its contents: %s",
		    p12_reason(ERR_peek_last_error()));
		goto out;
	}
	p12_safes(&x, safes, good);

	if (mac && good < 0) {
		if (x.ndecrypted > 0 || x.key_opened)
			sink_error(s, 0, "PKCS#12 MAC verification failed: the "
			    "password opens the contents, so the file is damaged "
			    "or was altered");
		else if (x.nlocked > 0)
			p12_locked_error(&x, cfgpw, 0);
		else
			sink_note(s, "%s: PKCS#12: MAC not verified (%s password); "
			    "certificates stored in clear were read", sink_path(s),
			    cfgpw == NULL ? "no" : "wrong");
	} else if (x.nlocked > 0)
		p12_locked_error(&x, cfgpw, mac);
	if (mac && good >= 0)
		sink_note(s, "%s: PKCS#12: MAC verified with %s", sink_path(s),
		    pws[good].what);
	else if (!mac)
		sink_note(s, "%s: PKCS#12: no MAC (integrity not protected)",
		    sink_path(s));
	if (x.nother > 0)
		sink_note(s, "%s: PKCS#12: %zu public-key encrypted part(s) "
		    "not read", sink_path(s), x.nother);
	if (x.costly != 0)
		sink_error(s, 0, "PKCS#12 encryption iteration count %ld is above "
		    "the limit of %ld: not decrypted", x.costly, P12_MAX_ITER);
	if (x.nbadbags > 0)
		sink_error(s, 0, "damaged PKCS#12: %zu unreadable bag(s)", x.nbadbags);
	if (x.overflow)
		sink_error(s, 0, "PKCS#12: more than %d certificates; the rest "
		    "was not read", P12_MAX_CERTS);
	for (i = 0; i < x.ncerts; i++) {
		meta.alias = x.certs[i].alias;
		(void)sink_der(s, x.certs[i].der, x.certs[i].len, &meta);
	}
	if (x.ncerts == 0 && x.nlocked == 0 && x.nbadbags == 0 && x.nother == 0 &&
	    x.costly == 0 &&
	    !(mac && good < 0 && (x.ndecrypted > 0 || x.key_opened)))
		sink_skip(s, "PKCS#12 holds no certificate");
out:
	for (i = 0; i < x.ncerts; i++) {
		free(x.certs[i].der);
		free(x.certs[i].alias);
	}
	free(x.certs);
	sk_PKCS7_pop_free(safes, PKCS7_free);
	PKCS12_free(p12);
	ERR_clear_error();
}
