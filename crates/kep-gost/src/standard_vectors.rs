//! The standard's own examples (GOST R 34.10-2012 Appendix A.1 and A.2 = RFC 7091), reproduced
//! exactly, and Streebog's M1/M2 (vectors in shared/docs/vectors, checked against OpenSSL).

use crate::{KeySize, ParamSet, Signature, SigningKey, VerifyingKey, streebog_digest};

fn be(hex_str: &str) -> Vec<u8> {
    hex::decode(hex_str).unwrap()
}

fn le(hex_str: &str) -> Vec<u8> {
    let mut v = be(hex_str);
    v.reverse();
    v
}

struct Example {
    param_set: ParamSet,
    d: &'static str,
    qx: &'static str,
    qy: &'static str,
    e: &'static str,
    k: &'static str,
    r: &'static str,
    s: &'static str,
}

const A1: Example = Example {
    param_set: ParamSet::CryptoProTest,
    d: "7A929ADE789BB9BE10ED359DD39A72C11B60961F49397EEE1D19CE9891EC3B28",
    qx: "7F2B49E270DB6D90D8595BEC458B50C58585BA1D4E9B788F6689DBD8E56FD80B",
    qy: "26F1B489D6701DD185C8413A977B3CBBAF64D1C593D26627DFFB101A87FF77DA",
    e: "2DFBC1B372D89A1188C09C52E0EEC61FCE52032AB1022E8E67ECE6672B043EE5",
    k: "77105C9B20BCD3122823C8CF6FCC7B956DE33814E95B7FE64FED924594DCEAB3",
    r: "41AA28D2F1AB148280CD9ED56FEDA41974053554A42767B83AD043FD39DC0493",
    s: "01456C64BA4642A1653C235A98A60249BCD6D3F746B631DF928014F6C5BF9C40",
};

const A2: Example = Example {
    param_set: ParamSet::Tc26_512Test,
    d: "0BA6048AADAE241BA40936D47756D7C93091A0E8514669700EE7508E508B102072E8123B2200A0563322DAD2827E2714A2636B7BFD18AADFC62967821FA18DD4",
    qx: "115DC5BC96760C7B48598D8AB9E740D4C4A85A65BE33C1815B5C320C854621DD5A515856D13314AF69BC5B924C8B4DDFF75C45415C1D9DD9DD33612CD530EFE1",
    qy: "37C7C90CD40B0F5621DC3AC1B751CFA0E2634FA0503B3D52639F5D7FB72AFD61EA199441D943FFE7F0C70A2759A3CDB84C114E1F9339FDF27F35ECA93677BEEC",
    e: "3754F3CFACC9E0615C4F4A7C4D8DAB531B09B6F9C170C533A71D147035B0C5917184EE536593F4414339976C647C5D5A407ADEDB1D560C4FC6777D2972075B8C",
    k: "0359E7F4B1410FEACC570456C6801496946312120B39D019D455986E364F365886748ED7A44B3E794434006011842286212273A6D14CF70EA3AF71BB1AE679F1",
    r: "2F86FA60A081091A23DD795E1E3C689EE512A3C82EE0DCC2643C78EEA8FCACD35492558486B20F1C9EC197C90699850260C93BCBCD9C5C3317E19344E173AE36",
    s: "1081B394696FFE8E6585E7A9362D26B6325F56778AADBC081C0BFBE933D52FF5823CE288E8C4F362526080DF7F70CE406A6EEB1F56919CB92A9853BDE73E5B4A",
};

fn check(example: &Example) {
    let key = SigningKey::from_bytes(example.param_set, &be(example.d)).unwrap();
    let mut q = le(example.qx);
    q.extend(le(example.qy));
    assert_eq!(key.verifying_key().as_bytes(), q.as_slice(), "public key");

    // The digest whose little-endian reading is e.
    let digest = le(example.e);
    let signature = key
        .sign_digest_with_fixed_k(&digest, &be(example.k))
        .unwrap();
    assert_eq!(hex::encode_upper(signature.r()), example.r, "r");
    assert_eq!(hex::encode_upper(signature.s()), example.s, "s");

    let public = VerifyingKey::from_bytes(example.param_set, &q).unwrap();
    public.verify_digest_bytes(&digest, &signature).unwrap();
    // The signature as bytes on the wire: s‖r.
    let wire = [be(example.s), be(example.r)].concat();
    public
        .verify_digest_bytes(&digest, &Signature::from_bytes(&wire).unwrap())
        .unwrap();
}

#[test]
fn appendix_a1_256_bit_example() {
    check(&A1);
}

#[test]
fn appendix_a2_512_bit_example() {
    check(&A2);
}

#[test]
fn streebog_m1_m2() {
    let m1 = b"012345678901234567890123456789012345678901234567890123456789012";
    let m2 = be(
        "d1e520e2e5f2f0e82c20d1f2f0e8e1eee6e820e2edf3f6e82c20e2e5fef2fa20f120eceef0ff20f1f2f0e5ebe0ece820ede020f5f0e0e1f0fbff20efebfaeafb20c8e3eef0e5e2fb",
    );
    let cases: [(&[u8], KeySize, &str); 4] = [
        (
            m1,
            KeySize::Bits256,
            "9d151eefd8590b89daa6ba6cb74af9275dd051026bb149a452fd84e5e57b5500",
        ),
        (
            m1,
            KeySize::Bits512,
            "1b54d01a4af5b9d5cc3d86d68d285462b19abc2475222f35c085122be4ba1ffa00ad30f8767b3a82384c6574f024c311e2a481332b08ef7f41797891c1646f48",
        ),
        (
            &m2,
            KeySize::Bits256,
            "9dd2fe4e90409e5da87f53976d7405b0c0cac628fc669a741d50063c557e8f50",
        ),
        (
            &m2,
            KeySize::Bits512,
            "1e88e62226bfca6f9994f1f2d51569e0daf8475a3b0fe61a5300eee46d961376035fe83549ada2b8620fcd7c496ce5b33f0cb9dddc2b6460143b03dabac9fb28",
        ),
    ];
    for (message, size, expected) in cases {
        assert_eq!(hex::encode(streebog_digest(size, message)), expected);
    }
}
