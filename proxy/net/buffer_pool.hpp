#pragma once
// BufferPool: fixed-size body relay buffers, recycled per worker so that an idle keep-alive
// connection holds none and a busy one does not allocate per request. Worker-local.

#include <cstddef>
#include <memory>
#include <vector>

namespace switchyard::proxy::net {

class BufferPool {
 public:
  static constexpr std::size_t kBufferSize = 32 * 1024;

  // A buffer of kBufferSize bytes that goes back to the pool when released.
  class Lease {
   public:
    Lease() = default;
    Lease(BufferPool* pool, std::unique_ptr<char[]> data) : pool_(pool), data_(std::move(data)) {}
    Lease(Lease&&) = default;
    Lease& operator=(Lease&&) = default;
    ~Lease() {
      if (pool_ && data_) pool_->give_back(std::move(data_));
    }
    char* data() const { return data_.get(); }
    static constexpr std::size_t size() { return kBufferSize; }

   private:
    BufferPool* pool_ = nullptr;
    std::unique_ptr<char[]> data_;
  };

  Lease acquire() {
    if (free_.empty()) return Lease(this, std::make_unique_for_overwrite<char[]>(kBufferSize));
    auto data = std::move(free_.back());
    free_.pop_back();
    return Lease(this, std::move(data));
  }

 private:
  static constexpr std::size_t kMaxFree = 256;
  void give_back(std::unique_ptr<char[]> data) {
    if (free_.size() < kMaxFree) free_.push_back(std::move(data));
  }
  std::vector<std::unique_ptr<char[]>> free_;
};

}  // namespace switchyard::proxy::net
