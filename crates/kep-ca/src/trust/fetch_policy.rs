//! Which addresses the CA may fetch from on behalf of a certificate an applicant supplied (AIA
//! caIssuers, OCSP responders, CRL distribution points): http(s) only, and — unless the
//! configuration allows it, loudly — never this machine, a private network, link-local, or any
//! other address that is not on the public Internet. Otherwise a signed statement could make
//! the CA send requests into its own network (request forgery). Host names are checked after
//! resolution, every address they resolve to, by the resolver the fetching client uses (so a
//! name cannot resolve one way for the check and another for the connection); address literals
//! are checked as written.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

/// What the configuration allows besides public addresses (both off by default).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FetchPolicy {
    /// This machine (127.0.0.0/8, ::1): tests, or a relay on the same host.
    pub allow_loopback: bool,
    /// Private and other non-public ranges (10/8, 172.16/12, 192.168/16, fc00::/7, …): a CA
    /// whose relying-party services are internal.
    pub allow_private: bool,
}

/// Why an address was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refused {
    /// Not http or https (ldap://, file://…).
    #[error("only http and https addresses are fetched, not {0}")]
    Scheme(String),
    /// Not a URL with a host.
    #[error("not an address to fetch: {url} ({why})")]
    NotAUrl {
        /// As given.
        url: String,
        /// What is wrong with it.
        why: String,
    },
    /// This machine.
    #[error("{0} is this machine: not fetched")]
    Loopback(IpAddr),
    /// Link-local (169.254/16, fe80::/10): cloud metadata services live there.
    #[error("{0} is link-local: not fetched")]
    LinkLocal(IpAddr),
    /// A private or otherwise non-public range.
    #[error("{0} is not a public address: not fetched")]
    NotPublic(IpAddr),
}

/// Where an address belongs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Range {
    Public,
    Loopback,
    LinkLocal,
    NotPublic,
}

fn range_v4(ip: Ipv4Addr) -> Range {
    let [a, b, ..] = ip.octets();
    if ip.is_loopback() {
        Range::Loopback
    } else if ip.is_link_local() {
        Range::LinkLocal
    } else if ip.is_private()
        || ip.is_unspecified()
        || ip.is_broadcast()
        || ip.is_multicast()
        || ip.is_documentation()
        || a == 0
        // Shared address space (carrier-grade NAT), 100.64.0.0/10.
        || (a == 100 && (64..128).contains(&b))
        // IETF protocol assignments, 192.0.0.0/24; benchmarking, 198.18.0.0/15.
        || (a == 192 && b == 0 && ip.octets()[2] == 0)
        || (a == 198 && (18..20).contains(&b))
        // Reserved, 240.0.0.0/4.
        || a >= 240
    {
        Range::NotPublic
    } else {
        Range::Public
    }
}

fn range_v6(ip: Ipv6Addr) -> Range {
    if let Some(v4) = ip.to_ipv4_mapped() {
        return range_v4(v4);
    }
    let segments = ip.segments();
    // NAT64 (64:ff9b::/96): the IPv4 address inside decides.
    if segments[..6] == [0x64, 0xff9b, 0, 0, 0, 0] {
        let o = ip.octets();
        return range_v4(Ipv4Addr::new(o[12], o[13], o[14], o[15]));
    }
    if ip.is_loopback() {
        Range::Loopback
    } else if (segments[0] & 0xffc0) == 0xfe80 {
        Range::LinkLocal
    } else if ip.is_unspecified()
        || ip.is_multicast()
        // Unique local, fc00::/7.
        || (segments[0] & 0xfe00) == 0xfc00
        // Documentation, 2001:db8::/32.
        || (segments[0] == 0x2001 && segments[1] == 0x0db8)
        // IPv4-compatible (deprecated) and other addresses under ::/8.
        || segments[0] == 0
    {
        Range::NotPublic
    } else {
        Range::Public
    }
}

impl FetchPolicy {
    /// Whether `ip` may be fetched from.
    pub fn check_address(&self, ip: IpAddr) -> Result<(), Refused> {
        let range = match ip {
            IpAddr::V4(v4) => range_v4(v4),
            IpAddr::V6(v6) => range_v6(v6),
        };
        match range {
            Range::Public => Ok(()),
            Range::Loopback if self.allow_loopback => Ok(()),
            Range::Loopback => Err(Refused::Loopback(ip)),
            Range::LinkLocal | Range::NotPublic if self.allow_private => Ok(()),
            Range::LinkLocal => Err(Refused::LinkLocal(ip)),
            Range::NotPublic => Err(Refused::NotPublic(ip)),
        }
    }

    /// Whether `url` may be fetched: http(s), and an address literal allowed as written (a host
    /// name is checked when it resolves: [`FetchPolicy::check_resolved`]).
    pub fn check_url(&self, url: &str) -> Result<reqwest::Url, Refused> {
        let parsed = reqwest::Url::parse(url).map_err(|e| Refused::NotAUrl {
            url: url.to_owned(),
            why: e.to_string(),
        })?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(Refused::Scheme(parsed.scheme().to_owned()));
        }
        match parsed.host() {
            Some(url::Host::Ipv4(ip)) => self.check_address(IpAddr::V4(ip))?,
            Some(url::Host::Ipv6(ip)) => self.check_address(IpAddr::V6(ip))?,
            Some(url::Host::Domain(name)) if name.eq_ignore_ascii_case("localhost") => {
                self.check_address(IpAddr::V4(Ipv4Addr::LOCALHOST))?;
            }
            Some(url::Host::Domain(_)) => {}
            None => {
                return Err(Refused::NotAUrl {
                    url: url.to_owned(),
                    why: "no host".into(),
                });
            }
        }
        Ok(parsed)
    }

    /// The addresses a host name resolved to, each checked: all must be allowed.
    pub fn check_resolved(&self, addresses: &[SocketAddr]) -> Result<(), Refused> {
        addresses
            .iter()
            .try_for_each(|address| self.check_address(address.ip()))
    }
}

/// The resolver for clients that fetch under a policy: the system's resolution, every address
/// checked before any connection is made.
#[derive(Debug, Clone, Copy)]
pub struct CheckedResolver(pub FetchPolicy);

impl reqwest::dns::Resolve for CheckedResolver {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let policy = self.0;
        Box::pin(async move {
            let addresses: Vec<SocketAddr> =
                tokio::net::lookup_host((name.as_str(), 0)).await?.collect();
            policy.check_resolved(&addresses)?;
            let addresses: reqwest::dns::Addrs = Box::new(addresses.into_iter());
            Ok(addresses)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn only_public_addresses_by_default() {
        let strict = FetchPolicy::default();
        for public in [
            "8.8.8.8",
            "77.88.8.8",
            "2a02:6b8::feed:0ff",
            "100.128.0.1",
            "172.32.0.1",
        ] {
            assert_eq!(strict.check_address(ip(public)), Ok(()), "{public}");
        }
        for (address, expected) in [
            ("127.0.0.1", Refused::Loopback(ip("127.0.0.1"))),
            ("127.8.9.10", Refused::Loopback(ip("127.8.9.10"))),
            ("::1", Refused::Loopback(ip("::1"))),
            (
                "::ffff:127.0.0.1",
                Refused::Loopback(ip("::ffff:127.0.0.1")),
            ),
            ("169.254.169.254", Refused::LinkLocal(ip("169.254.169.254"))),
            ("fe80::1", Refused::LinkLocal(ip("fe80::1"))),
            ("10.1.2.3", Refused::NotPublic(ip("10.1.2.3"))),
            ("172.16.0.1", Refused::NotPublic(ip("172.16.0.1"))),
            ("172.31.255.255", Refused::NotPublic(ip("172.31.255.255"))),
            ("192.168.1.1", Refused::NotPublic(ip("192.168.1.1"))),
            ("100.64.0.1", Refused::NotPublic(ip("100.64.0.1"))),
            ("0.0.0.0", Refused::NotPublic(ip("0.0.0.0"))),
            ("255.255.255.255", Refused::NotPublic(ip("255.255.255.255"))),
            ("224.0.0.1", Refused::NotPublic(ip("224.0.0.1"))),
            ("198.18.0.1", Refused::NotPublic(ip("198.18.0.1"))),
            ("fd00::1", Refused::NotPublic(ip("fd00::1"))),
            ("::", Refused::NotPublic(ip("::"))),
            ("::ffff:10.0.0.1", Refused::NotPublic(ip("::ffff:10.0.0.1"))),
            ("64:ff9b::a00:1", Refused::NotPublic(ip("64:ff9b::a00:1"))),
        ] {
            assert_eq!(
                strict.check_address(ip(address)),
                Err(expected),
                "{address}"
            );
        }
    }

    #[test]
    fn what_the_configuration_allows_and_only_that() {
        let loopback = FetchPolicy {
            allow_loopback: true,
            allow_private: false,
        };
        assert_eq!(loopback.check_address(ip("127.0.0.1")), Ok(()));
        assert!(loopback.check_address(ip("10.0.0.1")).is_err());
        let private = FetchPolicy {
            allow_loopback: false,
            allow_private: true,
        };
        assert_eq!(private.check_address(ip("192.168.0.10")), Ok(()));
        assert_eq!(private.check_address(ip("169.254.169.254")), Ok(()));
        assert!(private.check_address(ip("127.0.0.1")).is_err());
    }

    #[test]
    fn addresses_are_http_with_a_host_and_literals_are_checked_as_written() {
        let strict = FetchPolicy::default();
        assert!(strict.check_url("http://crl.example.ru/1.crl").is_ok());
        assert!(strict.check_url("https://ocsp.example.ru/").is_ok());
        assert_eq!(
            strict.check_url("ldap://dir.example.ru/cn=CA"),
            Err(Refused::Scheme("ldap".into()))
        );
        assert_eq!(
            strict.check_url("file:///etc/passwd"),
            Err(Refused::Scheme("file".into()))
        );
        assert!(matches!(
            strict.check_url("not a url"),
            Err(Refused::NotAUrl { .. })
        ));
        assert_eq!(
            strict.check_url("http://127.0.0.1:8080/ca.crt"),
            Err(Refused::Loopback(ip("127.0.0.1")))
        );
        assert_eq!(
            strict.check_url("http://[::1]/ca.crt"),
            Err(Refused::Loopback(ip("::1")))
        );
        assert_eq!(
            strict.check_url("http://localhost/ca.crt"),
            Err(Refused::Loopback(ip("127.0.0.1")))
        );
        assert_eq!(
            strict.check_url("http://169.254.169.254/latest/meta-data/"),
            Err(Refused::LinkLocal(ip("169.254.169.254")))
        );
        // Resolved addresses: one bad one is enough to refuse.
        let resolved = [
            "8.8.8.8:80".parse().unwrap(),
            "10.0.0.7:80".parse().unwrap(),
        ];
        assert_eq!(
            strict.check_resolved(&resolved),
            Err(Refused::NotPublic(ip("10.0.0.7")))
        );
    }
}
