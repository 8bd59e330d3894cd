#include "engine/consumer_data.hpp"

namespace c2p::engine {

ConsumerData FirstKnown(const ConsumerData& body, const ConsumerData& stored) {
  return ConsumerData{body.info ? body.info : stored.info,
                      body.billing ? body.billing : stored.billing};
}

bool NeedsFetch(const ConsumerData& known) { return !known.info || !known.billing; }

ConsumerData Complete(ConsumerData known, const ConsumerData& fetched) {
  if (!known.info) known.info = fetched.info;
  if (!known.billing) known.billing = fetched.billing;
  return known;
}

std::vector<std::string> MissingFields(const ConsumerData& data) {
  std::vector<std::string> out;
  if (!data.info) {
    out.emplace_back("consumerInfo");
    if (!data.billing) out.emplace_back("billingAddress");
    return out;
  }
  for (auto name : domain::MissingForClickToPay(*data.info, data.billing)) out.emplace_back(name);
  return out;
}

}  // namespace c2p::engine
