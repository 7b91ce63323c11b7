//! The three RFC 9215 example objects (test curves and the cofactor-4 TC26-256-A) (copied from
//! shared/docs/vectors/rfc9215-examples, which records their provenance and OpenSSL's verdict):
//! the private keys load to the published scalar, and the certificates, requests and CRLs
//! verify under the published public key.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test may fail loudly

use der::{Decode, DecodePem, Encode};
use kep_gost::{ParamSet, Signature, SigningKey, VerifyingKey};
use x509_cert::Certificate;
use x509_cert::crl::CertificateList;
use x509_cert::request::CertReq;

fn read(name: &str) -> String {
    let path = format!(
        "{}/tests/vectors/rfc9215/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn pem_der(name: &str) -> Vec<u8> {
    der::pem::decode_vec(read(name).as_bytes()).unwrap().1
}

fn verify(public: &VerifyingKey, signed: &[u8], signature: &[u8]) {
    let digest = kep_gost::streebog_digest(public.key_size(), signed);
    public
        .verify_digest_bytes(&digest, &Signature::from_bytes(signature).unwrap())
        .unwrap();
    // One bit less is a failure.
    let mut tampered = signed.to_vec();
    tampered[10] ^= 1;
    let digest = kep_gost::streebog_digest(public.key_size(), &tampered);
    assert!(
        public
            .verify_digest_bytes(&digest, &Signature::from_bytes(signature).unwrap())
            .is_err()
    );
}

/// `engine_form`: whether our PKCS#8 must equal the file byte for byte (not when the example
/// omits the digestParamSet the engine writes, nor when its d is not reduced mod q).
fn check_example(prefix: &str, param_set: ParamSet, d: &str, engine_form: bool) {
    let key = SigningKey::from_pkcs8_der(&pem_der(&format!("{prefix}-key.pem"))).unwrap();
    assert_eq!(key.param_set(), param_set);
    assert_eq!(hex::encode_upper(key.to_bytes().as_slice()), d);
    let ours = key.to_pkcs8_der().unwrap();
    assert_eq!(
        SigningKey::from_pkcs8_der(&ours).unwrap().to_bytes(),
        key.to_bytes()
    );
    if engine_form {
        // Our PKCS#8 is the engine's layout, byte for byte.
        assert_eq!(ours.as_slice(), pem_der(&format!("{prefix}-key.pem")));
    }

    let cert = Certificate::from_pem(read(&format!("{prefix}-cert.pem"))).unwrap();
    let spki = cert
        .tbs_certificate()
        .subject_public_key_info()
        .to_der()
        .unwrap();
    let public = VerifyingKey::from_public_key_der(&spki).unwrap();
    assert_eq!(&public, key.verifying_key());
    verify(
        &public,
        &cert.tbs_certificate().to_der().unwrap(),
        cert.signature().raw_bytes(),
    );

    let csr = CertReq::from_pem(read(&format!("{prefix}-csr.pem"))).unwrap();
    verify(
        &public,
        &csr.info.to_der().unwrap(),
        csr.signature.raw_bytes(),
    );

    let crl = CertificateList::<x509_cert::certificate::Rfc5280>::from_der(&pem_der(&format!(
        "{prefix}-crl.pem"
    )))
    .unwrap();
    verify(
        &public,
        &crl.tbs_cert_list.to_der().unwrap(),
        crl.signature.raw_bytes(),
    );
}

#[test]
fn example_1_256_bit_test_param_set() {
    check_example(
        "gost2012-256-testparamset",
        ParamSet::CryptoProTest,
        "7A929ADE789BB9BE10ED359DD39A72C11B60961F49397EEE1D19CE9891EC3B28",
        true,
    );
}

#[test]
fn example_3_512_bit_test_param_set() {
    check_example(
        "gost2012-512-testparamset",
        ParamSet::Tc26_512Test,
        "0BA6048AADAE241BA40936D47756D7C93091A0E8514669700EE7508E508B102072E8123B2200A0563322DAD2827E2714A2636B7BFD18AADFC62967821FA18DD4",
        false,
    );
}

#[test]
fn example_2_256_bit_tc26_a() {
    // The example's d (7A929ADE…, the same as example 1) exceeds this curve's q ≈ 2^254: it
    // is used mod q, which is what signs.
    check_example(
        "gost2012-256-tc26A",
        ParamSet::Tc26_256A,
        "3A929ADE789BB9BE10ED359DD39A72C10B87C83F80BE18B85C041F4325B62EC1",
        false,
    );
}

#[test]
fn a_point_outside_the_prime_order_subgroup_is_refused() {
    // (8, y) lies on TC26-256-A but has order 4q (found and checked with Python integers).
    let mut xy =
        hex::decode("0000000000000000000000000000000000000000000000000000000000000008").unwrap();
    xy.reverse();
    let mut y =
        hex::decode("ED3581BEC3A800B4E42F823268B76D5802FF206853353B55A2B91452F2ADFD07").unwrap();
    y.reverse();
    xy.extend(y);
    assert_eq!(
        VerifyingKey::from_bytes(ParamSet::Tc26_256A, &xy),
        Err(kep_gost::Error::PointNotInSubgroup)
    );
}
