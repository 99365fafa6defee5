// The exception hierarchy and error codes: every C result code maps to its class; timeouts,
// unknown hosts, invalid versions and options, bad OID text and unknown names; Result<T>.
#include "support.hpp"

#include <system_error>
#include <typeinfo>

using snmpx::Errc;
using snmpx::ErrorInfo;
using snmpx::Result;
using snmpx::Version;
using namespace snmpx_test;
using namespace std::chrono_literals;

namespace {
template <class E>
bool throws_as(Errc code) {
    ErrorInfo info;
    info.code = code;
    info.message = "m";
    try {
        snmpx::throw_error(info);
    } catch (const E &e) {
        return e.code() == code && std::string(e.what()) == "m";
    } catch (...) {
        return false;
    }
    return false;
}
}  // namespace

TEST(Errors, EveryCodeMapsToItsClass) {
    using namespace snmpx;
    for (Errc c : {Errc::NotInitialized, Errc::Shutdown, Errc::Forked, Errc::NotSupported,
                   Errc::CallbackThread, Errc::Panic}) {
        EXPECT_TRUE(throws_as<LibraryError>(c)) << static_cast<int>(c);
    }
    for (Errc c : {Errc::Invalid, Errc::BufferTooSmall, Errc::WrongType, Errc::NotFound,
                   Errc::Usage}) {
        EXPECT_TRUE(throws_as<UsageError>(c)) << static_cast<int>(c);
        EXPECT_FALSE(throws_as<ParseError>(c)) << static_cast<int>(c);
    }
    EXPECT_TRUE(throws_as<ParseError>(Errc::Parse));
    EXPECT_TRUE(throws_as<UsageError>(Errc::Parse));
    EXPECT_TRUE(throws_as<UnknownObjectError>(Errc::MibUnknownObject));
    EXPECT_TRUE(throws_as<UsageError>(Errc::MibUnknownObject));
    EXPECT_TRUE(throws_as<TimeoutError>(Errc::Timeout));
    EXPECT_TRUE(throws_as<ResolveError>(Errc::Resolve));
    EXPECT_TRUE(throws_as<NetworkError>(Errc::Resolve));
    EXPECT_TRUE(throws_as<ConnectionError>(Errc::Connection));
    EXPECT_TRUE(throws_as<NetworkError>(Errc::Connection));
    EXPECT_TRUE(throws_as<UnreachableError>(Errc::Unreachable));
    EXPECT_TRUE(throws_as<NetworkError>(Errc::Unreachable));
    EXPECT_FALSE(throws_as<ConnectionError>(Errc::Unreachable));
    EXPECT_TRUE(throws_as<ProtocolError>(Errc::Decode));
    EXPECT_TRUE(throws_as<ProtocolError>(Errc::NotIncreasing));
    EXPECT_TRUE(throws_as<LimitError>(Errc::Limit));
    EXPECT_TRUE(throws_as<AgentError>(Errc::Agent));
    EXPECT_TRUE(throws_as<CancelledError>(Errc::Cancelled));
    for (std::uint32_t c = 32; c <= 38; ++c) {
        EXPECT_TRUE(throws_as<AuthenticationError>(static_cast<Errc>(c))) << c;
        EXPECT_TRUE(snmpx::is_authentication_error(static_cast<Errc>(c)));
    }
    EXPECT_FALSE(snmpx::is_authentication_error(Errc::Timeout));
    // A code this wrapper does not know yet still throws the base class.
    EXPECT_TRUE(throws_as<Error>(static_cast<Errc>(79)));
    EXPECT_FALSE(throws_as<UsageError>(static_cast<Errc>(79)));
}

TEST(Errors, CodesAreStdErrorCodes) {
    std::error_code ec = Errc::Timeout;
    EXPECT_EQ(ec.category().name(), std::string("snmpx"));
    EXPECT_EQ(ec.value(), SNMPX_E_TIMEOUT);
    EXPECT_EQ(ec.message(), snmpx_result_message(SNMPX_E_TIMEOUT));
    EXPECT_EQ(ec, Errc::Timeout);
    EXPECT_NE(ec, Errc::Resolve);
    EXPECT_EQ(snmpx::make_error_code(Errc::V3Authentication).value(), 33);
    EXPECT_EQ(snmpx::make_error_code(Errc::MibUnknownObject).value(), 64);
}

TEST(Errors, TimeoutAgainstASilentPort) {
    SilentPort silent;
    auto s = snmpx::Session::open(snmpx::Config(silent.target()).timeout(0.2s).retries(1));
    try {
        s.get({oids::sysName});
        FAIL() << "expected TimeoutError";
    } catch (const snmpx::TimeoutError &e) {
        EXPECT_EQ(e.code(), Errc::Timeout);
        EXPECT_EQ(e.error_code(), Errc::Timeout);
        EXPECT_FALSE(std::string(e.what()).empty());
    }
    auto r = s.try_walk({oids::system});
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.code(), Errc::Timeout);
    auto w = s.try_walk_rows({oids::system});
    EXPECT_EQ(w.begin(), w.end());
    ASSERT_TRUE(w.error().has_value());
    EXPECT_EQ(w.error()->code, Errc::Timeout);
}

TEST(Errors, UnreachableAtAClosedPort) {
    std::string target;
    {
        SilentPort closing;  // bound, then closed: nothing listens there afterwards
        target = closing.target();
    }
    // A 10 s timeout: the ICMP port unreachable ends the request long before it.
    auto s = snmpx::Session::open(snmpx::Config(target).timeout(10s).retries(2));
    try {
        s.get({oids::sysName});
        FAIL() << "expected UnreachableError";
    } catch (const snmpx::UnreachableError &e) {
        EXPECT_EQ(e.code(), Errc::Unreachable);
    }
    auto patient = snmpx::Session::open(
        snmpx::Config(target).timeout(0.2s).retries(0).fail_on_unreachable(false));
    EXPECT_EQ(patient.try_get({oids::sysName}).code(), Errc::Timeout);
}

TEST(Errors, UnknownHost) {
    try {
        snmpx::Session::open(snmpx::Config("no-such-host.invalid:161"));
        FAIL() << "expected ResolveError";
    } catch (const snmpx::ResolveError &e) {
        EXPECT_NE(std::string(e.what()).find("no-such-host.invalid"), std::string::npos)
            << e.what();
    }
    auto r = snmpx::Session::try_open(snmpx::Config("no-such-host.invalid"));
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.code(), Errc::Resolve);
}

TEST(Errors, InvalidVersion) {
    auto r = snmpx::Session::try_open(snmpx::Config(agent()).version(static_cast<Version>(2)));
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.code(), Errc::Invalid);
    EXPECT_NE(r.error().message.find("version"), std::string::npos) << r.error().message;
    EXPECT_THROW(snmpx::Session::open(snmpx::Config(agent()).version(static_cast<Version>(7))),
                 snmpx::UsageError);
}

TEST(Errors, InvalidOptions) {
    EXPECT_EQ(snmpx::Session::try_open(snmpx::Config(agent()).timeout(0s)).code(), Errc::Invalid);
    EXPECT_EQ(snmpx::Session::try_open(snmpx::Config(agent()).backoff(0.5)).code(), Errc::Invalid);
    EXPECT_EQ(snmpx::Session::try_open(snmpx::Config(agent()).max_repetitions(0)).code(),
              Errc::Invalid);
    EXPECT_EQ(snmpx::Session::try_open(snmpx::Config("")).code(), Errc::Invalid);
    auto port = snmpx::Session::try_open(snmpx::Config("127.0.0.1:notaport"));
    ASSERT_FALSE(port.ok());
    EXPECT_TRUE(port.code() == Errc::Usage || port.code() == Errc::Parse ||
                port.code() == Errc::Resolve)
        << port.error().message;
    EXPECT_THROW(snmpx::Session::open(snmpx::Config(agent()).timeout(-1s)), snmpx::UsageError);
}

TEST(Errors, BadOidTextAndUnknownNames) {
    auto s = snmpx::Session::open(community_config(Version::V2c));
    EXPECT_THROW(s.get({"1..3"}), snmpx::ParseError);
    try {
        s.get({"noSuchThingAnywhere.0"});
        FAIL() << "expected UnknownObjectError";
    } catch (const snmpx::UnknownObjectError &e) {
        EXPECT_EQ(e.code(), Errc::MibUnknownObject);
        EXPECT_NE(std::string(e.what()).find("noSuchThingAnywhere"), std::string::npos)
            << e.what();
    }
    EXPECT_EQ(s.try_get_next({"NO-SUCH-MIB::thing"}).code(), Errc::MibUnknownObject);
}

TEST(Errors, ResultValueThrowsTheMirroredException) {
    Result<int> bad(snmpx::detail::info_of(SNMPX_E_TIMEOUT));
    EXPECT_FALSE(bad.ok());
    EXPECT_FALSE(static_cast<bool>(bad));
    EXPECT_EQ(bad.code(), Errc::Timeout);
    EXPECT_THROW(bad.value(), snmpx::TimeoutError);
    EXPECT_EQ(bad.value_or(7), 7);
    Result<int> good(3);
    EXPECT_EQ(good.code(), Errc::Ok);
    EXPECT_EQ(*good, 3);
    Result<void> v;
    EXPECT_TRUE(v.ok());
    EXPECT_NO_THROW(v.value());
    Result<void> vbad(snmpx::detail::info_of(SNMPX_E_CANCELLED));
    EXPECT_THROW(vbad.value(), snmpx::CancelledError);
}

TEST(Errors, WrongTypeAccessorsThrowUsageError) {
    auto s = snmpx::Session::open(community_config(Version::V2c));
    auto rows = s.get({oids::sysName, oids::sysUpTime});
    try {
        (void)rows[0].as_int64();
        FAIL() << "expected UsageError";
    } catch (const snmpx::UsageError &e) {
        EXPECT_EQ(e.code(), Errc::WrongType);
        EXPECT_NE(std::string(e.what()).find(oids::sysName), std::string::npos) << e.what();
    }
    EXPECT_THROW((void)rows[1].as_string(), snmpx::UsageError);
    EXPECT_THROW((void)rows[1].as_oid(), snmpx::UsageError);
    EXPECT_THROW((void)rows[0].as_ip_address(), snmpx::UsageError);
}
