// snmpxpp_fleet_poller: polls many agents concurrently from one thread with asynchronous
// requests, the way a monitoring system polls a fleet. Each round submits one Get per agent
// (sysName, sysUpTime, ifNumber) with a callable, waits for every completion (bounded), and
// prints one line per agent; a final line sums up successes, failures and the round time.
//
//   snmpxpp_fleet_poller [-c COMMUNITY] [-r ROUNDS] [-t TIMEOUT_S] TARGET...
//
// Exit status: 0 when every request of every round succeeded, 1 otherwise.
#include <snmpx/snmpx.hpp>

#include <chrono>
#include <condition_variable>
#include <iostream>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace {

int usage() {
    std::cerr << "usage: snmpxpp_fleet_poller [-c COMMUNITY] [-r ROUNDS] [-t TIMEOUT_S] TARGET...\n";
    return 2;
}

/// The outcome of one agent in one round.
struct Outcome {
    bool done = false;
    std::string line;
    bool ok = false;
};

/// Completion bookkeeping shared with the callables (which run on library I/O threads).
struct Round {
    std::mutex m;
    std::condition_variable cv;
    std::vector<Outcome> outcomes;
    std::size_t pending = 0;
};

}  // namespace

int main(int argc, char **argv) {
    std::string community = "public";
    int rounds = 1;
    double timeout = 1.0;
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; ++i) {
        std::string opt = argv[i];
        if (i + 1 >= argc) {
            return usage();
        }
        if (opt == "-c") {
            community = argv[++i];
        } else if (opt == "-r") {
            rounds = std::stoi(argv[++i]);
        } else if (opt == "-t") {
            timeout = std::stod(argv[++i]);
        } else {
            return usage();
        }
    }
    std::vector<std::string> targets(argv + i, argv + argc);
    if (targets.empty() || rounds < 1) {
        return usage();
    }

    auto lib = snmpx::Library::create();
    if (!lib.ok()) {
        std::cerr << "init: " << lib.error().message << '\n';
        return 1;
    }
    // Sessions are opened once and reused every round.
    std::vector<std::optional<snmpx::Session>> sessions;
    for (const auto &t : targets) {
        auto s = snmpx::Session::try_open(snmpx::Config(t)
                                              .community(community)
                                              .timeout(std::chrono::duration<double>(timeout))
                                              .retries(1)
                                              .max_in_flight(16));
        if (!s.ok()) {
            std::cerr << t << ": " << s.error().message << '\n';
            sessions.emplace_back();
        } else {
            sessions.emplace_back(std::move(s).value());
        }
    }
    const auto request =
        snmpx::Request::get({"1.3.6.1.2.1.1.5.0", "1.3.6.1.2.1.1.3.0", "1.3.6.1.2.1.2.1.0"});
    const snmpx::FormatOptions quick("qv");  // values only, no type labels

    std::size_t good = 0, bad = 0;
    for (int round = 1; round <= rounds; ++round) {
        auto state = std::make_shared<Round>();
        state->outcomes.resize(targets.size());
        auto started = std::chrono::steady_clock::now();
        for (std::size_t k = 0; k < targets.size(); ++k) {
            if (!sessions[k]) {
                state->outcomes[k] = {true, "not open", false};
                continue;
            }
            {
                std::lock_guard<std::mutex> g(state->m);
                ++state->pending;
            }
            auto id = sessions[k]->submit(request, [state, k, quick](snmpx::Result<snmpx::VarBinds> r) {
                Outcome o{true, "", r.ok()};
                if (r.ok()) {
                    for (const auto &vb : *r) {
                        o.line += vb.try_format(quick).value_or("?") + "  ";
                    }
                } else {
                    o.line = "error: " + r.error().message;
                }
                std::lock_guard<std::mutex> g(state->m);
                state->outcomes[k] = std::move(o);
                --state->pending;
                state->cv.notify_all();
            });
            if (!id.ok()) {
                std::lock_guard<std::mutex> g(state->m);
                state->outcomes[k] = {true, "submit: " + id.error().message, false};
                --state->pending;
            }
        }
        {
            // Bounded: every request ends by its own timeout and retries; this is a backstop.
            std::unique_lock<std::mutex> g(state->m);
            state->cv.wait_for(g, std::chrono::duration<double>(timeout * 4 + 5),
                               [&] { return state->pending == 0; });
        }
        auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::steady_clock::now() - started)
                      .count();
        std::lock_guard<std::mutex> g(state->m);
        for (std::size_t k = 0; k < targets.size(); ++k) {
            const auto &o = state->outcomes[k];
            bool ok = o.done && o.ok;
            (ok ? good : bad)++;
            std::cout << "round " << round << " " << targets[k] << ": "
                      << (o.done ? o.line : std::string("no answer in time")) << '\n';
        }
        std::cout << "round " << round << " took " << ms << " ms\n";
    }
    std::cout << good << " ok, " << bad << " failed\n";
    return bad == 0 ? 0 : 1;
}
