//! HTTPS in the tests: a certificate authority made at test time, the certificates it issues,
//! and the listener behind [`RecordingServer::start_tls`](crate::RecordingServer::start_tls).
//!
//! The server runs on rustls with the aws-lc-rs provider, the library reqwest's `default-tls`
//! already compiles, so the tests need no second crypto library and no system package.

use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use askui_runtime::reqwest;
use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, DnType, IsCa, KeyPair};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio::task::JoinSet;
use tokio_rustls::TlsAcceptor;
use tokio_rustls::rustls::ServerConfig;
use tokio_rustls::rustls::crypto::aws_lc_rs;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio_rustls::server::TlsStream;

/// A certificate authority no machine trusts: each test makes its own.
pub struct TestCa {
    issuer: CertifiedIssuer<'static, KeyPair>,
}

impl TestCa {
    pub fn new() -> TestCa {
        // A name of its own: a verifier looks a certificate's issuer up by name, and would
        // take another test's CA of the same name for a forgery rather than a stranger.
        static MADE: AtomicUsize = AtomicUsize::new(0);
        let name = format!("askui-tests CA {}", MADE.fetch_add(1, Ordering::Relaxed));
        let mut params = CertificateParams::new(Vec::new()).expect("CA parameters");
        params.distinguished_name.push(DnType::CommonName, name);
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        let key = KeyPair::generate().expect("a CA key");
        let issuer = CertifiedIssuer::self_signed(params, key).expect("a self-signed CA");
        TestCa { issuer }
    }

    /// The CA's certificate, as a client is given it to trust.
    pub fn certificate(&self) -> reqwest::Certificate {
        reqwest::Certificate::from_der(self.issuer.der()).expect("a DER certificate")
    }

    /// A server certificate for `names` (host names or IP addresses), signed by this CA.
    pub fn issue(&self, names: &[&str]) -> Identity {
        let names: Vec<String> = names.iter().map(|name| (*name).to_owned()).collect();
        let params = CertificateParams::new(names).expect("certificate parameters");
        let key = KeyPair::generate().expect("a server key");
        let cert = params
            .signed_by(&key, &self.issuer)
            .expect("a certificate signed by the CA");
        Identity {
            chain: vec![cert.der().clone()],
            key: PrivatePkcs8KeyDer::from(key.serialize_der()).into(),
        }
    }
}

impl Default for TestCa {
    fn default() -> TestCa {
        TestCa::new()
    }
}

/// A server's certificate chain and private key.
pub struct Identity {
    chain: Vec<CertificateDer<'static>>,
    key: PrivateKeyDer<'static>,
}

/// What one connection's TLS handshake came to, as the server saw it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Handshake {
    /// Done; the protocol the client chose over ALPN (`h2`, `http/1.1`), if any.
    Done { alpn: Option<String> },
    /// Failed: the server's error, e.g. the client's alert refusing the certificate.
    Failed(String),
}

/// The handshakes of one server, shared between its listener and the test. Watched: the
/// server may learn that a client hung up on its certificate after the client's call has
/// already returned the error.
#[derive(Clone)]
pub struct Handshakes(Arc<watch::Sender<Vec<Handshake>>>);

impl Default for Handshakes {
    fn default() -> Handshakes {
        Handshakes(Arc::new(watch::Sender::new(Vec::new())))
    }
}

impl Handshakes {
    pub fn all(&self) -> Vec<Handshake> {
        self.0.borrow().clone()
    }

    /// All handshakes, once there are at least `count`.
    pub async fn at_least(&self, count: usize) -> Vec<Handshake> {
        let mut seen = self.0.subscribe();
        let all = seen
            .wait_for(|handshakes| handshakes.len() >= count)
            .await
            .expect("the sender lives in `self`");
        all.clone()
    }

    fn push(&self, handshake: Handshake) {
        self.0.send_modify(|handshakes| handshakes.push(handshake));
    }
}

/// Accepts TCP connections on 127.0.0.1 and hands axum those whose TLS handshake succeeds.
pub struct TlsListener {
    tcp: TcpListener,
    addr: SocketAddr,
    acceptor: TlsAcceptor,
    // Each handshake runs on its own: a client that stalls in one holds up no other
    // connection. Dropped with the listener (when the server stops), which aborts them.
    handshaking: JoinSet<(io::Result<TlsStream<TcpStream>>, SocketAddr)>,
    handshakes: Handshakes,
}

impl TlsListener {
    pub async fn bind(identity: &Identity) -> TlsListener {
        // The provider named, not taken from the process default: which one that is depends
        // on the features other crates of the build enable on rustls.
        let mut config =
            ServerConfig::builder_with_provider(Arc::new(aws_lc_rs::default_provider()))
                .with_safe_default_protocol_versions()
                .expect("TLS versions")
                .with_no_client_auth()
                .with_single_cert(identity.chain.clone(), identity.key.clone_key())
                .expect("the server's certificate and key");
        config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
        let tcp = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1");
        let addr = tcp.local_addr().expect("local address");
        TlsListener {
            tcp,
            addr,
            acceptor: TlsAcceptor::from(Arc::new(config)),
            handshaking: JoinSet::new(),
            handshakes: Handshakes::default(),
        }
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    pub fn handshakes(&self) -> Handshakes {
        self.handshakes.clone()
    }
}

impl axum::serve::Listener for TlsListener {
    type Io = TlsStream<TcpStream>;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        loop {
            tokio::select! {
                accepted = self.tcp.accept() => {
                    // A failed accept (out of file descriptors) loses that one connection:
                    // the call it belonged to fails and says so.
                    if let Ok((tcp, addr)) = accepted {
                        let acceptor = self.acceptor.clone();
                        self.handshaking
                            .spawn(async move { (acceptor.accept(tcp).await, addr) });
                    }
                }
                Some(Ok((handshake, addr))) = self.handshaking.join_next() => match handshake {
                    Ok(tls) => {
                        let alpn = tls.get_ref().1.alpn_protocol();
                        self.handshakes.push(Handshake::Done {
                            alpn: alpn.map(|alpn| String::from_utf8_lossy(alpn).into_owned()),
                        });
                        return (tls, addr);
                    }
                    Err(error) => self.handshakes.push(Handshake::Failed(error.to_string())),
                },
            }
        }
    }

    fn local_addr(&self) -> io::Result<SocketAddr> {
        Ok(self.addr)
    }
}
