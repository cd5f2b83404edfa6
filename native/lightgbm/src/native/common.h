// Shared helpers of the LightGBM binding: error conversion, argument checks and the per-environment
// state that makes the addon context-aware (one copy per Node environment: main thread, each worker,
// Electron's processes), so nothing JavaScript-side is shared between threads.
#pragma once

#include <LightGBM/c_api.h>
#include <napi.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace bullpen {

struct AddonData {
  Napi::FunctionReference datasetConstructor;
  Napi::FunctionReference boosterConstructor;
};

inline AddonData& Data(Napi::Env env) { return *env.GetInstanceData<AddonData>(); }

// Every failing LightGBM call becomes a JavaScript Error carrying LGBM_GetLastError's message.
inline void Check(Napi::Env env, int rc) {
  if (rc != 0) throw Napi::Error::New(env, std::string("LightGBM: ") + LGBM_GetLastError());
}

[[noreturn]] inline void ThrowType(Napi::Env env, const std::string& message) {
  throw Napi::TypeError::New(env, message);
}

[[noreturn]] inline void ThrowRange(Napi::Env env, const std::string& message) {
  throw Napi::RangeError::New(env, message);
}

int32_t ArgInt32(const Napi::CallbackInfo& info, size_t i, const char* name);
bool ArgBool(const Napi::CallbackInfo& info, size_t i, const char* name);
std::string ArgString(const Napi::CallbackInfo& info, size_t i, const char* name);

// A dense matrix borrowed from a Float64Array or Float32Array for the duration of one call.
struct Matrix {
  const void* data;
  int dtype;
  int32_t rows;
  int32_t cols;
};
Matrix ArgMatrix(const Napi::CallbackInfo& info, size_t dataIndex, size_t rowsIndex, size_t colsIndex);

// Calls a LightGBM "fill a string buffer" function, growing the buffer to the reported size.
template <typename Fill>
std::string ReadString(Napi::Env env, Fill fill) {
  std::vector<char> buffer(1 << 16);
  int64_t needed = 0;
  Check(env, fill(static_cast<int64_t>(buffer.size()), &needed, buffer.data()));
  if (needed > static_cast<int64_t>(buffer.size())) {
    buffer.resize(static_cast<size_t>(needed));
    Check(env, fill(static_cast<int64_t>(buffer.size()), &needed, buffer.data()));
  }
  return std::string(buffer.data(), needed > 0 ? static_cast<size_t>(needed - 1) : 0);
}

// Calls a LightGBM "fill an array of string buffers" function (feature or eval names).
template <typename Fill>
std::vector<std::string> ReadStrings(Napi::Env env, int count, Fill fill) {
  size_t width = 256;
  for (int attempt = 0; attempt < 2; ++attempt) {
    std::vector<std::vector<char>> storage(static_cast<size_t>(count), std::vector<char>(width));
    std::vector<char*> pointers;
    for (auto& s : storage) pointers.push_back(s.data());
    int got = 0;
    size_t needed = 0;
    Check(env, fill(count, &got, width, &needed, pointers.data()));
    if (needed <= width) {
      std::vector<std::string> out;
      for (int i = 0; i < got; ++i) out.emplace_back(pointers[static_cast<size_t>(i)]);
      return out;
    }
    width = needed;
  }
  throw Napi::Error::New(env, "LightGBM: name buffer size kept changing");
}

Napi::Array ToJsStrings(Napi::Env env, const std::vector<std::string>& values);

// Owns one LightGBM Dataset. Shared by the JavaScript Dataset object and every Booster trained or
// validated on it, so LightGBM's pointers into the dataset stay valid until the last user lets go.
struct DatasetOwner {
  DatasetHandle handle = nullptr;
  explicit DatasetOwner(DatasetHandle h) : handle(h) {}
  ~DatasetOwner() {
    if (handle != nullptr) LGBM_DatasetFree(handle);
  }
  DatasetOwner(const DatasetOwner&) = delete;
  DatasetOwner& operator=(const DatasetOwner&) = delete;
};

Napi::Function InitDataset(Napi::Env env);
Napi::Function InitBooster(Napi::Env env);
std::shared_ptr<DatasetOwner> DatasetOwnerOf(Napi::Env env, const Napi::Value& value, const char* name);

}  // namespace bullpen
