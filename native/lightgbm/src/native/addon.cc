// Module entry: registers Dataset and Booster per environment and the process-wide helpers.
#include <atomic>
#include <cstdio>

#include "common.h"

namespace bullpen {

namespace {

// LightGBM's thread count is process-global (OpenMP), so the cap lives in native memory shared by
// every environment; the TypeScript layer reads it when rendering num_threads.
std::atomic<int> maxThreads{0};

// LightGBM logs through a thread-local callback; sending it to stderr keeps stdout clean for
// `--json` command-line output.
void LogToStderr(const char* message) {
  std::fputs(message, stderr);
  std::fflush(stderr);
}

Napi::Value SetMaxThreads(const Napi::CallbackInfo& info) {
  maxThreads.store(ArgInt32(info, 0, "maxThreads"));
  return info.Env().Undefined();
}

Napi::Value GetMaxThreads(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), maxThreads.load());
}

Napi::Value DatasetUpdateParamChecking(const Napi::CallbackInfo& info) {
  const std::string oldParams = ArgString(info, 0, "oldParams");
  const std::string newParams = ArgString(info, 1, "newParams");
  if (LGBM_DatasetUpdateParamChecking(oldParams.c_str(), newParams.c_str()) != 0) {
    return Napi::String::New(info.Env(), LGBM_GetLastError());
  }
  return info.Env().Null();
}

Napi::Value DumpParamAliases(const Napi::CallbackInfo& info) {
  return Napi::String::New(info.Env(), ReadString(info.Env(), [](int64_t len, int64_t* out, char* buf) {
    return LGBM_DumpParamAliases(len, out, buf);
  }));
}

}  // namespace

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  env.SetInstanceData<AddonData>(new AddonData());
  LGBM_RegisterLogCallback(LogToStderr);
  exports.Set("Dataset", InitDataset(env));
  exports.Set("Booster", InitBooster(env));
  exports.Set("setMaxThreads", Napi::Function::New(env, SetMaxThreads, "setMaxThreads"));
  exports.Set("getMaxThreads", Napi::Function::New(env, GetMaxThreads, "getMaxThreads"));
  exports.Set("datasetUpdateParamChecking",
              Napi::Function::New(env, DatasetUpdateParamChecking, "datasetUpdateParamChecking"));
  exports.Set("dumpParamAliases", Napi::Function::New(env, DumpParamAliases, "dumpParamAliases"));
  return exports;
}

int32_t ArgInt32(const Napi::CallbackInfo& info, size_t i, const char* name) {
  if (!info[i].IsNumber()) ThrowType(info.Env(), std::string(name) + " must be a number");
  const double v = info[i].As<Napi::Number>().DoubleValue();
  if (!(v == static_cast<double>(static_cast<int32_t>(v)))) {
    ThrowRange(info.Env(), std::string(name) + " must be a 32-bit integer, got " + std::to_string(v));
  }
  return static_cast<int32_t>(v);
}

bool ArgBool(const Napi::CallbackInfo& info, size_t i, const char* name) {
  if (!info[i].IsBoolean()) ThrowType(info.Env(), std::string(name) + " must be a boolean");
  return info[i].As<Napi::Boolean>().Value();
}

std::string ArgString(const Napi::CallbackInfo& info, size_t i, const char* name) {
  if (!info[i].IsString()) ThrowType(info.Env(), std::string(name) + " must be a string");
  return info[i].As<Napi::String>().Utf8Value();
}

Matrix ArgMatrix(const Napi::CallbackInfo& info, size_t dataIndex, size_t rowsIndex, size_t colsIndex) {
  Napi::Env env = info.Env();
  const int32_t rows = ArgInt32(info, rowsIndex, "rows");
  const int32_t cols = ArgInt32(info, colsIndex, "cols");
  if (rows <= 0 || cols <= 0) ThrowRange(env, "rows and cols must be positive");
  if (!info[dataIndex].IsTypedArray()) ThrowType(env, "data must be a Float64Array or Float32Array");
  Napi::TypedArray array = info[dataIndex].As<Napi::TypedArray>();
  int dtype;
  if (array.TypedArrayType() == napi_float64_array) {
    dtype = C_API_DTYPE_FLOAT64;
  } else if (array.TypedArrayType() == napi_float32_array) {
    dtype = C_API_DTYPE_FLOAT32;
  } else {
    ThrowType(env, "data must be a Float64Array or Float32Array");
  }
  const size_t expected = static_cast<size_t>(rows) * static_cast<size_t>(cols);
  if (array.ElementLength() != expected) {
    ThrowRange(env, "data has " + std::to_string(array.ElementLength()) + " values but rows * cols = " +
                        std::to_string(expected));
  }
  const uint8_t* base = static_cast<const uint8_t*>(array.ArrayBuffer().Data()) + array.ByteOffset();
  return Matrix{base, dtype, rows, cols};
}

Napi::Array ToJsStrings(Napi::Env env, const std::vector<std::string>& values) {
  Napi::Array out = Napi::Array::New(env, values.size());
  for (size_t i = 0; i < values.size(); ++i) out.Set(static_cast<uint32_t>(i), values[i]);
  return out;
}

}  // namespace bullpen

static Napi::Object InitLightgbm(Napi::Env env, Napi::Object exports) { return bullpen::Init(env, exports); }

NODE_API_MODULE(lightgbm, InitLightgbm)
