// Booster: training, evaluation, prediction and model (de)serialisation over LightGBM's C API.
#include "common.h"

namespace bullpen {

namespace {

class Booster : public Napi::ObjectWrap<Booster> {
 public:
  static Napi::Function Define(Napi::Env env) {
    return DefineClass(env, "NativeBooster",
                       {
                           StaticMethod<&Booster::Create>("create"),
                           StaticMethod<&Booster::FromModelString>("fromModelString"),
                           StaticMethod<&Booster::FromModelFile>("fromModelFile"),
                           InstanceMethod<&Booster::Free>("free"),
                           InstanceMethod<&Booster::IsFreed>("isFreed"),
                           InstanceMethod<&Booster::AddValidData>("addValidData"),
                           InstanceMethod<&Booster::ResetParameter>("resetParameter"),
                           InstanceMethod<&Booster::UpdateOneIter>("updateOneIter"),
                           InstanceMethod<&Booster::RollbackOneIter>("rollbackOneIter"),
                           InstanceMethod<&Booster::CurrentIteration>("currentIteration"),
                           InstanceMethod<&Booster::NumClasses>("numClasses"),
                           InstanceMethod<&Booster::NumFeature>("numFeature"),
                           InstanceMethod<&Booster::NumModelPerIteration>("numModelPerIteration"),
                           InstanceMethod<&Booster::NumTotalModel>("numTotalModel"),
                           InstanceMethod<&Booster::EvalNames>("evalNames"),
                           InstanceMethod<&Booster::FeatureNames>("featureNames"),
                           InstanceMethod<&Booster::Eval>("eval"),
                           InstanceMethod<&Booster::Predict>("predict"),
                           InstanceMethod<&Booster::FeatureImportance>("featureImportance"),
                           InstanceMethod<&Booster::SaveModelToString>("saveModelToString"),
                           InstanceMethod<&Booster::SaveModel>("saveModel"),
                           InstanceMethod<&Booster::DumpModel>("dumpModel"),
                           InstanceMethod<&Booster::LoadedParams>("loadedParams"),
                       });
  }

  explicit Booster(const Napi::CallbackInfo& info) : Napi::ObjectWrap<Booster>(info) {}
  ~Booster() override { Release(); }

 private:
  static Napi::Object Wrap(Napi::Env env, BoosterHandle handle, std::shared_ptr<DatasetOwner> train) {
    Napi::Object object = Data(env).boosterConstructor.New({});
    Booster* self = Unwrap(object);
    self->handle_ = handle;
    if (train) self->datasets_.push_back(std::move(train));
    return object;
  }

  void Release() {
    if (handle_ != nullptr) {
      LGBM_BoosterFree(handle_);
      handle_ = nullptr;
    }
    datasets_.clear();  // after the booster: it points into these datasets
  }

  BoosterHandle Handle(Napi::Env env) const {
    if (handle_ == nullptr) throw Napi::Error::New(env, "Booster has been freed");
    return handle_;
  }

  // create(trainSet, params)
  static Napi::Value Create(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    auto train = DatasetOwnerOf(env, info[0], "trainSet");
    const std::string params = ArgString(info, 1, "params");
    BoosterHandle out = nullptr;
    Check(env, LGBM_BoosterCreate(train->handle, params.c_str(), &out));
    return Wrap(env, out, std::move(train));
  }

  static Napi::Value FromModelString(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    const std::string text = ArgString(info, 0, "model");
    int iterations = 0;
    BoosterHandle out = nullptr;
    Check(env, LGBM_BoosterLoadModelFromString(text.c_str(), &iterations, &out));
    return Wrap(env, out, nullptr);
  }

  static Napi::Value FromModelFile(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    const std::string path = ArgString(info, 0, "path");
    int iterations = 0;
    BoosterHandle out = nullptr;
    Check(env, LGBM_BoosterCreateFromModelfile(path.c_str(), &iterations, &out));
    return Wrap(env, out, nullptr);
  }

  Napi::Value Free(const Napi::CallbackInfo& info) {
    Release();
    return info.Env().Undefined();
  }

  Napi::Value IsFreed(const Napi::CallbackInfo& info) { return Napi::Boolean::New(info.Env(), handle_ == nullptr); }

  Napi::Value AddValidData(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    BoosterHandle h = Handle(env);
    auto valid = DatasetOwnerOf(env, info[0], "validSet");
    Check(env, LGBM_BoosterAddValidData(h, valid->handle));
    datasets_.push_back(std::move(valid));
    return env.Undefined();
  }

  Napi::Value ResetParameter(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    BoosterHandle h = Handle(env);
    const std::string params = ArgString(info, 0, "params");
    Check(env, LGBM_BoosterResetParameter(h, params.c_str()));
    return env.Undefined();
  }

  Napi::Value UpdateOneIter(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    BoosterHandle h = Handle(env);
    if (datasets_.empty()) throw Napi::Error::New(env, "Booster loaded from a model has no training data");
    int finished = 0;
    Check(env, LGBM_BoosterUpdateOneIter(h, &finished));
    return Napi::Boolean::New(env, finished != 0);
  }

  Napi::Value RollbackOneIter(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    Check(env, LGBM_BoosterRollbackOneIter(Handle(env)));
    return env.Undefined();
  }

  template <int (*Getter)(BoosterHandle, int*)>
  Napi::Value IntGetter(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    int out = 0;
    Check(env, Getter(Handle(env), &out));
    return Napi::Number::New(env, out);
  }

  Napi::Value CurrentIteration(const Napi::CallbackInfo& info) { return IntGetter<LGBM_BoosterGetCurrentIteration>(info); }
  Napi::Value NumClasses(const Napi::CallbackInfo& info) { return IntGetter<LGBM_BoosterGetNumClasses>(info); }
  Napi::Value NumFeature(const Napi::CallbackInfo& info) { return IntGetter<LGBM_BoosterGetNumFeature>(info); }
  Napi::Value NumModelPerIteration(const Napi::CallbackInfo& info) {
    return IntGetter<LGBM_BoosterNumModelPerIteration>(info);
  }
  Napi::Value NumTotalModel(const Napi::CallbackInfo& info) { return IntGetter<LGBM_BoosterNumberOfTotalModel>(info); }

  Napi::Value EvalNames(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    BoosterHandle h = Handle(env);
    int count = 0;
    Check(env, LGBM_BoosterGetEvalCounts(h, &count));
    auto names = ReadStrings(env, count, [h](int len, int* got, size_t width, size_t* needed, char** out) {
      return LGBM_BoosterGetEvalNames(h, len, got, width, needed, out);
    });
    return ToJsStrings(env, names);
  }

  Napi::Value FeatureNames(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    BoosterHandle h = Handle(env);
    int count = 0;
    Check(env, LGBM_BoosterGetNumFeature(h, &count));
    auto names = ReadStrings(env, count, [h](int len, int* got, size_t width, size_t* needed, char** out) {
      return LGBM_BoosterGetFeatureNames(h, len, got, width, needed, out);
    });
    return ToJsStrings(env, names);
  }

  // eval(dataIndex): 0 is the training data, 1.. the validation sets in the order added.
  Napi::Value Eval(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    BoosterHandle h = Handle(env);
    const int32_t index = ArgInt32(info, 0, "dataIndex");
    if (index < 0 || static_cast<size_t>(index) >= datasets_.size()) {
      ThrowRange(env, "dataIndex " + std::to_string(index) + " is outside 0.." + std::to_string(datasets_.size()) +
                          " (0 = training data, then validation sets)");
    }
    int count = 0;
    Check(env, LGBM_BoosterGetEvalCounts(h, &count));
    Napi::Float64Array out = Napi::Float64Array::New(env, static_cast<size_t>(count));
    int got = 0;
    Check(env, LGBM_BoosterGetEval(h, index, &got, out.Data()));
    return out;
  }

  // predict(data, rows, cols, rowMajor, predictType, startIteration, numIteration, params)
  Napi::Value Predict(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    BoosterHandle h = Handle(env);
    const Matrix m = ArgMatrix(info, 0, 1, 2);
    const bool rowMajor = ArgBool(info, 3, "rowMajor");
    const int32_t predictType = ArgInt32(info, 4, "predictType");
    const int32_t startIteration = ArgInt32(info, 5, "startIteration");
    const int32_t numIteration = ArgInt32(info, 6, "numIteration");
    const std::string params = ArgString(info, 7, "params");
    if (predictType < C_API_PREDICT_NORMAL || predictType > C_API_PREDICT_CONTRIB) {
      ThrowRange(env, "unknown predictType " + std::to_string(predictType));
    }
    int features = 0;
    Check(env, LGBM_BoosterGetNumFeature(h, &features));
    if (m.cols != features) {
      ThrowRange(env, "the model has " + std::to_string(features) + " features but data has " +
                          std::to_string(m.cols) + " columns");
    }
    int64_t length = 0;
    Check(env, LGBM_BoosterCalcNumPredict(h, m.rows, predictType, startIteration, numIteration, &length));
    // Allocated by V8 and filled in place: no external buffer, no extra copy.
    Napi::Float64Array out = Napi::Float64Array::New(env, static_cast<size_t>(length));
    int64_t written = 0;
    Check(env, LGBM_BoosterPredictForMat(h, m.data, m.dtype, m.rows, m.cols, rowMajor ? 1 : 0, predictType,
                                         startIteration, numIteration, params.c_str(), &written, out.Data()));
    return out;
  }

  // featureImportance(numIteration, importanceType) → one value per feature.
  Napi::Value FeatureImportance(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    BoosterHandle h = Handle(env);
    const int32_t numIteration = ArgInt32(info, 0, "numIteration");
    const int32_t type = ArgInt32(info, 1, "importanceType");
    int features = 0;
    Check(env, LGBM_BoosterGetNumFeature(h, &features));
    Napi::Float64Array out = Napi::Float64Array::New(env, static_cast<size_t>(features));
    Check(env, LGBM_BoosterFeatureImportance(h, numIteration, type, out.Data()));
    return out;
  }

  Napi::Value SaveModelToString(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    BoosterHandle h = Handle(env);
    const int32_t start = ArgInt32(info, 0, "startIteration");
    const int32_t num = ArgInt32(info, 1, "numIteration");
    const int32_t type = ArgInt32(info, 2, "importanceType");
    return Napi::String::New(env, ReadString(env, [&](int64_t len, int64_t* needed, char* buffer) {
      return LGBM_BoosterSaveModelToString(h, start, num, type, len, needed, buffer);
    }));
  }

  Napi::Value SaveModel(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    BoosterHandle h = Handle(env);
    const std::string path = ArgString(info, 0, "path");
    const int32_t start = ArgInt32(info, 1, "startIteration");
    const int32_t num = ArgInt32(info, 2, "numIteration");
    const int32_t type = ArgInt32(info, 3, "importanceType");
    Check(env, LGBM_BoosterSaveModel(h, start, num, type, path.c_str()));
    return env.Undefined();
  }

  Napi::Value DumpModel(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    BoosterHandle h = Handle(env);
    const int32_t start = ArgInt32(info, 0, "startIteration");
    const int32_t num = ArgInt32(info, 1, "numIteration");
    const int32_t type = ArgInt32(info, 2, "importanceType");
    return Napi::String::New(env, ReadString(env, [&](int64_t len, int64_t* needed, char* buffer) {
      return LGBM_BoosterDumpModel(h, start, num, type, len, needed, buffer);
    }));
  }

  Napi::Value LoadedParams(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    BoosterHandle h = Handle(env);
    return Napi::String::New(env, ReadString(env, [&](int64_t len, int64_t* needed, char* buffer) {
      return LGBM_BoosterGetLoadedParam(h, len, needed, buffer);
    }));
  }

  BoosterHandle handle_ = nullptr;
  std::vector<std::shared_ptr<DatasetOwner>> datasets_;  // [train, valid...] kept alive for LightGBM
};

}  // namespace

Napi::Function InitBooster(Napi::Env env) {
  Napi::Function ctor = Booster::Define(env);
  Data(env).boosterConstructor = Napi::Persistent(ctor);
  return ctor;
}

}  // namespace bullpen
