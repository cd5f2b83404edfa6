// Dataset: a LightGBM Dataset built from a dense matrix, with its fields and row subsets.
#include <cmath>

#include "common.h"

namespace bullpen {

namespace {

class Dataset : public Napi::ObjectWrap<Dataset> {
 public:
  static Napi::Function Define(Napi::Env env) {
    return DefineClass(env, "NativeDataset",
                       {
                           StaticMethod<&Dataset::FromMat>("fromMat"),
                           InstanceMethod<&Dataset::Free>("free"),
                           InstanceMethod<&Dataset::IsFreed>("isFreed"),
                           InstanceMethod<&Dataset::NumData>("numData"),
                           InstanceMethod<&Dataset::NumFeature>("numFeature"),
                           InstanceMethod<&Dataset::FeatureNames>("featureNames"),
                           InstanceMethod<&Dataset::SetFeatureNames>("setFeatureNames"),
                           InstanceMethod<&Dataset::SetField>("setField"),
                           InstanceMethod<&Dataset::GetField>("getField"),
                           InstanceMethod<&Dataset::Subset>("subset"),
                           InstanceMethod<&Dataset::FeatureNumBin>("featureNumBin"),
                       });
  }

  explicit Dataset(const Napi::CallbackInfo& info) : Napi::ObjectWrap<Dataset>(info) {}

  std::shared_ptr<DatasetOwner> owner() const { return owner_; }

  static Napi::Object Wrap(Napi::Env env, DatasetHandle handle) {
    auto owner = std::make_shared<DatasetOwner>(handle);
    Napi::Object object = Data(env).datasetConstructor.New({});
    Unwrap(object)->owner_ = std::move(owner);
    return object;
  }

 private:
  DatasetHandle Handle(Napi::Env env) const {
    if (!owner_) throw Napi::Error::New(env, "Dataset has been freed");
    return owner_->handle;
  }

  // fromMat(data, rows, cols, rowMajor, params, reference | null)
  static Napi::Value FromMat(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    const Matrix m = ArgMatrix(info, 0, 1, 2);
    const bool rowMajor = ArgBool(info, 3, "rowMajor");
    const std::string params = ArgString(info, 4, "params");
    DatasetHandle reference = nullptr;
    std::shared_ptr<DatasetOwner> referenceOwner;
    if (!info[5].IsNull() && !info[5].IsUndefined()) {
      referenceOwner = DatasetOwnerOf(env, info[5], "reference");
      reference = referenceOwner->handle;
    }
    DatasetHandle out = nullptr;
    Check(env, LGBM_DatasetCreateFromMat(m.data, m.dtype, m.rows, m.cols, rowMajor ? 1 : 0, params.c_str(),
                                         reference, &out));
    return Wrap(env, out);
  }

  Napi::Value Free(const Napi::CallbackInfo& info) {
    owner_.reset();
    return info.Env().Undefined();
  }

  Napi::Value IsFreed(const Napi::CallbackInfo& info) { return Napi::Boolean::New(info.Env(), !owner_); }

  Napi::Value NumData(const Napi::CallbackInfo& info) {
    int32_t n = 0;
    Check(info.Env(), LGBM_DatasetGetNumData(Handle(info.Env()), &n));
    return Napi::Number::New(info.Env(), n);
  }

  Napi::Value NumFeature(const Napi::CallbackInfo& info) {
    int32_t n = 0;
    Check(info.Env(), LGBM_DatasetGetNumFeature(Handle(info.Env()), &n));
    return Napi::Number::New(info.Env(), n);
  }

  Napi::Value FeatureNames(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    DatasetHandle h = Handle(env);
    int32_t n = 0;
    Check(env, LGBM_DatasetGetNumFeature(h, &n));
    auto names = ReadStrings(env, n, [h](int len, int* got, size_t width, size_t* needed, char** out) {
      return LGBM_DatasetGetFeatureNames(h, len, got, width, needed, out);
    });
    return ToJsStrings(env, names);
  }

  Napi::Value SetFeatureNames(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    DatasetHandle h = Handle(env);
    if (!info[0].IsArray()) ThrowType(env, "featureNames must be an array of strings");
    Napi::Array array = info[0].As<Napi::Array>();
    std::vector<std::string> names;
    for (uint32_t i = 0; i < array.Length(); ++i) {
      Napi::Value v = array.Get(i);
      if (!v.IsString()) ThrowType(env, "featureNames must be an array of strings");
      names.push_back(v.As<Napi::String>().Utf8Value());
    }
    std::vector<const char*> pointers;
    for (auto& s : names) pointers.push_back(s.c_str());
    Check(env, LGBM_DatasetSetFeatureNames(h, pointers.data(), static_cast<int>(pointers.size())));
    return env.Undefined();
  }

  // setField(name, Float64Array): label and weight are stored as float32, init_score as float64,
  // group as int32 — the types LightGBM requires for each field.
  Napi::Value SetField(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    DatasetHandle h = Handle(env);
    const std::string name = ArgString(info, 0, "field");
    if (!info[1].IsTypedArray() || info[1].As<Napi::TypedArray>().TypedArrayType() != napi_float64_array) {
      ThrowType(env, "field values must be a Float64Array");
    }
    Napi::Float64Array values = info[1].As<Napi::Float64Array>();
    const size_t n = values.ElementLength();
    const double* src = values.Data();
    if (name == "label" || name == "weight") {
      std::vector<float> converted(n);
      for (size_t i = 0; i < n; ++i) converted[i] = static_cast<float>(src[i]);
      Check(env, LGBM_DatasetSetField(h, name.c_str(), converted.data(), static_cast<int>(n), C_API_DTYPE_FLOAT32));
    } else if (name == "init_score") {
      Check(env, LGBM_DatasetSetField(h, name.c_str(), src, static_cast<int>(n), C_API_DTYPE_FLOAT64));
    } else if (name == "group") {
      std::vector<int32_t> converted(n);
      for (size_t i = 0; i < n; ++i) converted[i] = static_cast<int32_t>(src[i]);
      Check(env, LGBM_DatasetSetField(h, name.c_str(), converted.data(), static_cast<int>(n), C_API_DTYPE_INT32));
    } else {
      ThrowRange(env, "unknown dataset field '" + name + "' (label, weight, init_score or group)");
    }
    return env.Undefined();
  }

  // getField(name) → Float64Array copy, or null when the field is not set.
  Napi::Value GetField(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    DatasetHandle h = Handle(env);
    const std::string name = ArgString(info, 0, "field");
    int len = 0;
    const void* ptr = nullptr;
    int type = 0;
    Check(env, LGBM_DatasetGetField(h, name.c_str(), &len, &ptr, &type));
    if (ptr == nullptr || len == 0) return env.Null();
    Napi::Float64Array out = Napi::Float64Array::New(env, static_cast<size_t>(len));
    for (int i = 0; i < len; ++i) {
      switch (type) {
        case C_API_DTYPE_FLOAT32: out[i] = static_cast<const float*>(ptr)[i]; break;
        case C_API_DTYPE_FLOAT64: out[i] = static_cast<const double*>(ptr)[i]; break;
        case C_API_DTYPE_INT32: out[i] = static_cast<const int32_t*>(ptr)[i]; break;
        default: ThrowType(env, "unexpected dataset field type");
      }
    }
    return out;
  }

  // subset(Int32Array rowIndices, params): rows of this dataset reusing its bin mappers (CV folds).
  Napi::Value Subset(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    DatasetHandle h = Handle(env);
    if (!info[0].IsTypedArray() || info[0].As<Napi::TypedArray>().TypedArrayType() != napi_int32_array) {
      ThrowType(env, "rowIndices must be an Int32Array");
    }
    Napi::Int32Array indices = info[0].As<Napi::Int32Array>();
    const std::string params = ArgString(info, 1, "params");
    if (indices.ElementLength() == 0) ThrowRange(env, "rowIndices must not be empty");
    int32_t numData = 0;
    Check(env, LGBM_DatasetGetNumData(h, &numData));
    for (size_t i = 0; i < indices.ElementLength(); ++i) {
      if (indices[i] < 0 || indices[i] >= numData) {
        ThrowRange(env, "row index " + std::to_string(indices[i]) + " is outside 0.." + std::to_string(numData - 1));
      }
    }
    DatasetHandle out = nullptr;
    Check(env, LGBM_DatasetGetSubset(h, indices.Data(), static_cast<int32_t>(indices.ElementLength()),
                                     params.c_str(), &out));
    return Wrap(env, out);
  }

  Napi::Value FeatureNumBin(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    int bins = 0;
    Check(env, LGBM_DatasetGetFeatureNumBin(Handle(env), ArgInt32(info, 0, "feature"), &bins));
    return Napi::Number::New(env, bins);
  }

  std::shared_ptr<DatasetOwner> owner_;
};

}  // namespace

Napi::Function InitDataset(Napi::Env env) {
  Napi::Function ctor = Dataset::Define(env);
  Data(env).datasetConstructor = Napi::Persistent(ctor);
  return ctor;
}

std::shared_ptr<DatasetOwner> DatasetOwnerOf(Napi::Env env, const Napi::Value& value, const char* name) {
  if (!value.IsObject() || !value.As<Napi::Object>().InstanceOf(Data(env).datasetConstructor.Value())) {
    ThrowType(env, std::string(name) + " must be a Dataset");
  }
  auto owner = Dataset::Unwrap(value.As<Napi::Object>())->owner();
  if (!owner) throw Napi::Error::New(env, std::string(name) + " has been freed");
  return owner;
}

}  // namespace bullpen
