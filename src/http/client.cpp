#include "http/client.hpp"

#include "http/client_rules.hpp"

#include <curl/curl.h>
#include <fcntl.h>
#include <sys/stat.h>

#include <optional>
#include <unordered_map>

#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace c2p::http {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {

void InitCurlOnce() {
  // Thread-safe since libcurl 7.84, but done once so the cost is paid once.
  static const CURLcode init = curl_global_init(CURL_GLOBAL_DEFAULT);
  if (init != CURLE_OK) throw std::runtime_error("libcurl initialisation failed");
}

struct SlistFree {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};

}  // namespace

// The caller waiting for a transfer, type-erased. (Boost 1.81's any_completion_handler
// is not used: its move assignment recurses forever.)
class Waiter {
 public:
  virtual ~Waiter() = default;
  // Resumes the caller on its own executor, never inline: it may start another transfer
  // or destroy the client.
  virtual void Resume(ClientResult result) = 0;
};

template <typename Handler>
class HandlerWaiter final : public Waiter {
 public:
  HandlerWaiter(Handler handler, asio::any_io_executor fallback)
      : handler_(std::move(handler)),
        // Holding outstanding work on the caller's executor keeps its io_context from
        // running out of work (and returning from run()) while the transfer is in flight.
        caller_(asio::prefer(asio::get_associated_executor(handler_, std::move(fallback)),
                             asio::execution::outstanding_work.tracked)) {}

  void Resume(ClientResult result) override {
    // Once the handler is queued the caller may finish and destroy its io_context at any
    // moment, so nothing on this thread may touch that context again: the post goes
    // through an untracked copy, and the tracked one (the outstanding work) travels with
    // the handler and is released on the caller's own thread.
    auto untracked = asio::prefer(caller_, asio::execution::outstanding_work.untracked);
    asio::post(untracked, [h = std::move(handler_), r = std::move(result),
                           work = std::move(caller_)]() mutable {
      auto release_after_handler = std::move(work);
      std::move(h)(std::move(r));
    });
  }

 private:
  Handler handler_;
  asio::any_io_executor caller_;
};

// One transfer in flight: what was asked, what has come back so far, and who waits.
struct Transfer {
  Transfer(ClientRequest r, std::unique_ptr<Waiter> w)
      : request(std::move(r)), waiter(std::move(w)) {}

  CURL* easy = nullptr;
  ClientRequest request;
  std::unique_ptr<curl_slist, SlistFree> header_list;
  ClientResponse response;
  std::size_t max_body = 0;
  bool too_large = false;
  std::unique_ptr<Waiter> waiter;
};

// A descriptor the reactor waits on for libcurl. Sockets libcurl connects are opened here
// (OpenSocket) and owned by `owned`; descriptors libcurl opens itself (the threaded
// resolver's socketpair) are watched through a duplicate in `foreign`, so the reactor
// never registers, and never deregisters, a descriptor number libcurl may close and reuse.
struct Watch {
  std::uint64_t id = 0;
  std::optional<tcp::socket> owned;
  std::optional<asio::posix::stream_descriptor> foreign;
  dev_t foreign_dev = 0;
  ino_t foreign_ino = 0;
  int wanted = 0;  // CURL_POLL_IN | CURL_POLL_OUT
  bool reading = false;
  bool writing = false;
};

struct Client::Impl : std::enable_shared_from_this<Impl> {
  Impl(asio::any_io_executor ex, ClientOptions o)
      : executor(std::move(ex)), options(std::move(o)), timer(executor) {}

  ~Impl() { Close(); }

  void Init() {
    InitCurlOnce();
    multi = curl_multi_init();
    if (multi == nullptr) throw std::runtime_error("curl_multi_init failed");
    curl_multi_setopt(multi, CURLMOPT_SOCKETFUNCTION, &Impl::OnSocket);
    curl_multi_setopt(multi, CURLMOPT_SOCKETDATA, this);
    curl_multi_setopt(multi, CURLMOPT_TIMERFUNCTION, &Impl::OnTimer);
    curl_multi_setopt(multi, CURLMOPT_TIMERDATA, this);
    curl_multi_setopt(multi, CURLMOPT_MAXCONNECTS, options.max_idle_connections);
    curl_multi_setopt(multi, CURLMOPT_MAX_HOST_CONNECTIONS, options.max_connections_per_host);
  }

  // --- transfers ------------------------------------------------------------------------

  void Start(std::unique_ptr<Transfer> t) {
    if (closed) {
      Complete(*t, tl::unexpected(MakeError(TransportErrorKind::kCancelled, {})));
      return;
    }
    if (auto bad = CheckRequest(t->request)) {
      Complete(*t, tl::unexpected(MakeError(TransportErrorKind::kInvalidRequest, *bad)));
      return;
    }
    t->easy = TakeEasy();
    if (t->easy == nullptr || !Configure(*t)) {
      Complete(*t, tl::unexpected(MakeError(TransportErrorKind::kOther, "cannot set up")));
      return;
    }
    if (curl_multi_add_handle(multi, t->easy) != CURLM_OK) {
      Complete(*t, tl::unexpected(MakeError(TransportErrorKind::kOther, "cannot start")));
      return;
    }
    Transfer* raw = t.get();
    transfers.emplace(raw, std::move(t));
  }

  bool Configure(Transfer& t) {
    CURL* e = t.easy;
    const ClientRequest& r = t.request;
    const auto timeout = r.timeout.count() > 0 ? r.timeout : options.timeout;
    curl_slist* list = nullptr;
    for (const auto& [name, value] : r.headers) {
      std::string line = name + ": " + value;
      curl_slist* next = curl_slist_append(list, line.c_str());
      if (next == nullptr) {
        curl_slist_free_all(list);
        return false;
      }
      list = next;
    }
    // No "Expect: 100-continue" round trip before larger bodies.
    curl_slist* next = curl_slist_append(list, "Expect:");
    if (next == nullptr) {
      curl_slist_free_all(list);
      return false;
    }
    t.header_list.reset(next);
    t.max_body = options.max_response_bytes;

    bool ok = true;
    auto set = [&](CURLoption option, auto value) {
      ok = ok && curl_easy_setopt(e, option, value) == CURLE_OK;
    };
    set(CURLOPT_URL, r.url.c_str());
    set(CURLOPT_PRIVATE, static_cast<void*>(&t));
    set(CURLOPT_NOSIGNAL, 1L);
    set(CURLOPT_PROTOCOLS_STR, "http,https");
    set(CURLOPT_FOLLOWLOCATION, 0L);
    // Environment proxies (http_proxy...) must not silently reroute calls to partners.
    set(CURLOPT_PROXY, "");
    set(CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_1_1));
    set(CURLOPT_TIMEOUT_MS, static_cast<long>(timeout.count()));
    set(CURLOPT_CONNECTTIMEOUT_MS,
        static_cast<long>(std::min(options.connect_timeout, timeout).count()));
    set(CURLOPT_TCP_KEEPALIVE, 1L);
    set(CURLOPT_USERAGENT, options.user_agent.c_str());
    set(CURLOPT_HTTPHEADER, t.header_list.get());
    set(CURLOPT_WRITEFUNCTION, &Impl::OnBody);
    set(CURLOPT_WRITEDATA, static_cast<void*>(&t));
    set(CURLOPT_HEADERFUNCTION, &Impl::OnHeader);
    set(CURLOPT_HEADERDATA, static_cast<void*>(&t));
    set(CURLOPT_OPENSOCKETFUNCTION, &Impl::OpenSocket);
    set(CURLOPT_OPENSOCKETDATA, static_cast<void*>(this));
    set(CURLOPT_CLOSESOCKETFUNCTION, &Impl::CloseSocket);
    set(CURLOPT_CLOSESOCKETDATA, static_cast<void*>(this));
    if (!options.ca_file.empty()) set(CURLOPT_CAINFO, options.ca_file.c_str());

    const std::string& m = r.method;
    if (m == "GET") {
      set(CURLOPT_HTTPGET, 1L);
    } else if (m == "HEAD") {
      set(CURLOPT_NOBODY, 1L);
    } else {
      // POST, PUT and PATCH always carry a body (Content-Length: 0 when empty); other
      // methods only when one is given.
      if (!r.body.empty() || m == "POST" || m == "PUT" || m == "PATCH") {
        set(CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(r.body.size()));
        set(CURLOPT_POSTFIELDS, r.body.c_str());
      }
      if (m != "POST") set(CURLOPT_CUSTOMREQUEST, m.c_str());
    }
    return ok;
  }

  CURL* TakeEasy() {
    if (idle_easy.empty()) return curl_easy_init();
    CURL* e = idle_easy.back();
    idle_easy.pop_back();
    return e;
  }

  // Handles are recycled: curl_easy_init allocates more than a transfer's own state.
  void ReturnEasy(CURL* e) {
    if (e == nullptr) return;
    if (!closed && idle_easy.size() < kMaxIdleEasy) {
      curl_easy_reset(e);
      idle_easy.push_back(e);
    } else {
      curl_easy_cleanup(e);
    }
  }

  // Reads finished transfers off the multi handle and completes them.
  void Drain() {
    int left = 0;
    while (CURLMsg* msg = curl_multi_info_read(multi, &left)) {
      if (msg->msg != CURLMSG_DONE) continue;
      CURL* easy = msg->easy_handle;
      const CURLcode code = msg->data.result;
      void* priv = nullptr;
      curl_easy_getinfo(easy, CURLINFO_PRIVATE, &priv);
      auto* raw = static_cast<Transfer*>(priv);
      curl_multi_remove_handle(multi, easy);
      auto it = transfers.find(raw);
      if (it == transfers.end()) continue;
      std::unique_ptr<Transfer> t = std::move(it->second);
      transfers.erase(it);
      if (code == CURLE_OK) {
        long status = 0;
        curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
        t->response.status = static_cast<unsigned>(status);
        ReturnEasy(std::exchange(t->easy, nullptr));
        Complete(*t, std::move(t->response));
      } else {
        ReturnEasy(std::exchange(t->easy, nullptr));
        const TransportErrorKind kind = KindOfCurlError(code, t->too_large);
        Complete(*t, tl::unexpected(MakeError(kind, curl_easy_strerror(code))));
      }
    }
  }

  static void Complete(Transfer& t, ClientResult result) {
    if (auto waiter = std::move(t.waiter)) waiter->Resume(std::move(result));
  }

  void Close() {
    if (closed) return;
    closed = true;
    for (auto& [raw, t] : transfers) {
      if (multi != nullptr) curl_multi_remove_handle(multi, t->easy);
      curl_easy_cleanup(std::exchange(t->easy, nullptr));
      Complete(*t, tl::unexpected(MakeError(TransportErrorKind::kCancelled, {})));
    }
    transfers.clear();
    for (CURL* e : idle_easy) curl_easy_cleanup(e);
    idle_easy.clear();
    // Closes the cached connections through CloseSocket.
    if (multi != nullptr) curl_multi_cleanup(std::exchange(multi, nullptr));
    watches.clear();
    timer.cancel();
  }

  // --- libcurl callbacks ------------------------------------------------------------------

  static std::size_t OnBody(char* data, std::size_t size, std::size_t count, void* user) {
    auto* t = static_cast<Transfer*>(user);
    const std::size_t n = size * count;
    if (t->response.body.size() + n > t->max_body) {
      t->too_large = true;
      return 0;  // makes libcurl fail the transfer with CURLE_WRITE_ERROR
    }
    t->response.body.append(data, n);
    return n;
  }

  static std::size_t OnHeader(char* data, std::size_t size, std::size_t count, void* user) {
    auto* t = static_cast<Transfer*>(user);
    const std::size_t n = size * count;
    std::string_view line(data, n);
    while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
    if (line.starts_with("HTTP/")) {
      // A new status line: whatever came before belonged to an interim 1xx response.
      t->response.headers.clear();
      return n;
    }
    const auto colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) return n;
    std::string name(line.substr(0, colon));
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t'))
      value.remove_prefix(1);
    while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
    t->response.headers.emplace_back(std::move(name), std::string(value));
    return n;
  }

  static curl_socket_t OpenSocket(void* user, curlsocktype purpose, curl_sockaddr* address) {
    auto* self = static_cast<Impl*>(user);
    if (purpose != CURLSOCKTYPE_IPCXN ||
        (address->family != AF_INET && address->family != AF_INET6)) {
      return CURL_SOCKET_BAD;
    }
    auto w = std::make_unique<Watch>();
    w->id = self->next_watch_id++;
    w->owned.emplace(self->executor);
    boost::system::error_code ec;
    w->owned->open(address->family == AF_INET ? tcp::v4() : tcp::v6(), ec);
    if (ec) return CURL_SOCKET_BAD;
    const curl_socket_t fd = w->owned->native_handle();
    // A stale watch on this number: a foreign descriptor libcurl closed before telling us.
    self->watches.erase(fd);
    self->watches.emplace(fd, std::move(w));
    return fd;
  }

  static int CloseSocket(void* user, curl_socket_t fd) {
    auto* self = static_cast<Impl*>(user);
    auto it = self->watches.find(fd);
    if (it != self->watches.end() && it->second->owned) {
      self->watches.erase(it);  // closes the socket; pending waits end as aborted
      return 0;
    }
    return ::close(fd);
  }

  static int OnSocket(CURL* /*easy*/, curl_socket_t fd, int what, void* user, void* /*socketp*/) {
    auto* self = static_cast<Impl*>(user);
    auto it = self->watches.find(fd);
    if (what == CURL_POLL_REMOVE) {
      if (it == self->watches.end()) return 0;
      if (it->second->foreign) {
        self->watches.erase(it);
      } else {
        // An idle pooled connection: no wait may stay pending on it, or the executor
        // would never run out of work.
        it->second->wanted = 0;
        boost::system::error_code ignored;
        it->second->owned->cancel(ignored);
      }
      return 0;
    }
    if (it == self->watches.end() || (it->second->foreign && !SameFile(fd, *it->second))) {
      if (it != self->watches.end()) self->watches.erase(it);
      auto w = self->WatchForeign(fd);
      if (!w) return -1;
      it = self->watches.emplace(fd, std::move(w)).first;
    }
    it->second->wanted = what;
    self->Arm(fd, *it->second);
    return 0;
  }

  static int OnTimer(CURLM* /*multi*/, long timeout_ms, void* user) {
    auto* self = static_cast<Impl*>(user);
    if (timeout_ms < 0) {
      self->timer.cancel();
      return 0;
    }
    // Never act from inside this callback (libcurl forbids re-entry): the wait completes
    // on the next turn of the reactor even for a timeout of 0.
    self->timer.expires_after(std::chrono::milliseconds(timeout_ms));
    self->timer.async_wait([weak = self->weak_from_this()](boost::system::error_code ec) {
      auto s = weak.lock();
      if (ec || !s || s->closed) return;
      int running = 0;
      curl_multi_socket_action(s->multi, CURL_SOCKET_TIMEOUT, 0, &running);
      s->Drain();
    });
    return 0;
  }

  // --- readiness --------------------------------------------------------------------------

  static bool SameFile(curl_socket_t fd, const Watch& w) {
    struct stat st {};
    return ::fstat(fd, &st) == 0 && st.st_dev == w.foreign_dev && st.st_ino == w.foreign_ino;
  }

  std::unique_ptr<Watch> WatchForeign(curl_socket_t fd) {
    struct stat st {};
    if (::fstat(fd, &st) != 0) return nullptr;
    const int copy = ::fcntl(fd, F_DUPFD_CLOEXEC, 0);
    if (copy < 0) return nullptr;
    auto w = std::make_unique<Watch>();
    w->id = next_watch_id++;
    w->foreign.emplace(executor, copy);
    w->foreign_dev = st.st_dev;
    w->foreign_ino = st.st_ino;
    return w;
  }

  void Arm(curl_socket_t fd, Watch& w) {
    if ((w.wanted & CURL_POLL_IN) != 0 && !w.reading) {
      w.reading = true;
      Wait(fd, w, true);
    }
    if ((w.wanted & CURL_POLL_OUT) != 0 && !w.writing) {
      w.writing = true;
      Wait(fd, w, false);
    }
  }

  void Wait(curl_socket_t fd, Watch& w, bool read) {
    auto handler = [weak = weak_from_this(), fd, id = w.id, read](boost::system::error_code ec) {
      if (auto s = weak.lock()) s->OnReady(fd, id, read, ec);
    };
    if (w.owned) {
      w.owned->async_wait(read ? tcp::socket::wait_read : tcp::socket::wait_write,
                          std::move(handler));
    } else {
      w.foreign->async_wait(
          read ? asio::posix::descriptor_base::wait_read : asio::posix::descriptor_base::wait_write,
          std::move(handler));
    }
  }

  void OnReady(curl_socket_t fd, std::uint64_t id, bool read, boost::system::error_code ec) {
    if (closed) return;
    auto it = watches.find(fd);
    if (it == watches.end() || it->second->id != id) return;  // closed, maybe reused
    Watch& w = *it->second;
    (read ? w.reading : w.writing) = false;
    const int direction = read ? CURL_POLL_IN : CURL_POLL_OUT;
    // A cancelled wait (the interest was removed) does nothing, but libcurl may have asked
    // for the direction again meanwhile: the Arm below covers that.
    if (ec != asio::error::operation_aborted && (w.wanted & direction) != 0) {
      const int event = ec ? CURL_CSELECT_ERR : (read ? CURL_CSELECT_IN : CURL_CSELECT_OUT);
      int running = 0;
      curl_multi_socket_action(multi, fd, event, &running);
      Drain();
    }
    it = watches.find(fd);
    if (it != watches.end() && it->second->id == id) Arm(fd, *it->second);
  }

  static constexpr std::size_t kMaxIdleEasy = 64;

  asio::any_io_executor executor;
  ClientOptions options;
  asio::steady_timer timer;
  CURLM* multi = nullptr;
  std::unordered_map<Transfer*, std::unique_ptr<Transfer>> transfers;
  std::unordered_map<curl_socket_t, std::unique_ptr<Watch>> watches;
  std::vector<CURL*> idle_easy;
  std::uint64_t next_watch_id = 1;
  bool closed = false;
};

Client::Client(asio::any_io_executor executor, ClientOptions options)
    : impl_(std::make_shared<Impl>(std::move(executor), std::move(options))) {
  impl_->Init();
}

Client::~Client() { impl_->Close(); }

const ClientOptions& Client::options() const { return impl_->options; }

asio::awaitable<ClientResult> Client::Send(ClientRequest request) {
  // Not a coroutine itself: the awaitable async_initiate returns is handed back as is.
  // (GCC 12 destroys some temporaries of a co_await expression twice; a lambda holding a
  // shared_ptr there would release it twice.)
  auto initiation = [impl = impl_](auto handler, ClientRequest req) {
    using Handler = decltype(handler);
    auto t = std::make_unique<Transfer>(std::move(req), std::make_unique<HandlerWaiter<Handler>>(
                                                            std::move(handler), impl->executor));
    // All libcurl work happens on the client's own executor.
    asio::post(impl->executor, [impl, t = std::move(t)]() mutable { impl->Start(std::move(t)); });
  };
  return asio::async_initiate<const asio::use_awaitable_t<>&, void(ClientResult)>(
      std::move(initiation), asio::use_awaitable, std::move(request));
}

}  // namespace c2p::http
