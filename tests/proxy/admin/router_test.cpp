#include "proxy/admin/router.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "admin_test_config.hpp"
#include "proxy/admin/control_state.hpp"
#include "proxy/admin/handlers.hpp"

namespace switchyard::proxy::admin {
namespace {

AdminResponse text(std::string body) {
  AdminResponse response;
  response.body = std::move(body);
  return response;
}
AdminResponse handler_a(AdminContext&, const AdminRequest&) { return text("a"); }
AdminResponse handler_b(AdminContext&, const AdminRequest&) { return text("b"); }
AdminResponse echo_param(AdminContext&, const AdminRequest& request) {
  return text(std::string(request.param("route")));
}
AdminResponse throws(AdminContext&, const AdminRequest&) { throw std::runtime_error("boom"); }

const Router& test_router() {
  static const Router router({
      {"GET", "/v1/routes", handler_a},
      {"GET", "/v1/routes/{route}", echo_param},
      {"PUT", "/v1/routes/{route}/weights", handler_b},
      {"DELETE", "/v1/routes/{route}", handler_b},
      {"GET", "/boom", throws},
  });
  return router;
}

TEST(RouterTest, MatchesLiteralAndParameterSegments) {
  auto result = test_router().match("GET", "/v1/routes");
  ASSERT_TRUE(std::holds_alternative<RouteFound>(result));
  EXPECT_EQ(std::get<RouteFound>(result).handler, &handler_a);

  result = test_router().match("PUT", "/v1/routes/shop/weights");
  ASSERT_TRUE(std::holds_alternative<RouteFound>(result));
  const auto& found = std::get<RouteFound>(result);
  EXPECT_EQ(found.handler, &handler_b);
  ASSERT_EQ(found.params.size(), 1u);
  EXPECT_EQ(found.params[0].first, "route");
  EXPECT_EQ(found.params[0].second, "shop");
}

TEST(RouterTest, ParametersArePercentDecodedAndNonEmpty) {
  auto result = test_router().match("GET", "/v1/routes/my%2Droute");
  ASSERT_TRUE(std::holds_alternative<RouteFound>(result));
  EXPECT_EQ(std::get<RouteFound>(result).params[0].second, "my-route");
  EXPECT_TRUE(std::holds_alternative<NoSuchEndpoint>(test_router().match("GET", "/v1/routes/")));
}

TEST(RouterTest, UnknownPathsAndMethods) {
  EXPECT_TRUE(std::holds_alternative<NoSuchEndpoint>(test_router().match("GET", "/x")));
  EXPECT_TRUE(std::holds_alternative<NoSuchEndpoint>(test_router().match("GET", "/v1/routes/a/b")));
  EXPECT_TRUE(std::holds_alternative<NoSuchEndpoint>(test_router().match("GET", "")));
  const auto result = test_router().match("POST", "/v1/routes/shop");
  ASSERT_TRUE(std::holds_alternative<MethodNotAllowed>(result));
  EXPECT_EQ(std::get<MethodNotAllowed>(result).allow, "GET, DELETE");
}

TEST(RouterTest, DispatchMapsOutcomesToResponses) {
  routing::RouteTablePublisher publisher(
      test_support::initial_table(test_support::make_test_config()));
  ControlState state(test_support::make_test_config(), publisher);
  AdminContext context{state};
  auto response = dispatch(test_router(), context, {"GET", "/v1/routes/shop", "", "", {}, "", {}});
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, "shop");

  response = dispatch(test_router(), context, {"GET", "/nope", "", "", {}, "", {}});
  EXPECT_EQ(response.status, 404);
  EXPECT_EQ(boost::json::parse(response.body).at("error"), "no such endpoint: GET /nope");

  response = dispatch(test_router(), context, {"PATCH", "/v1/routes/shop", "", "", {}, "", {}});
  EXPECT_EQ(response.status, 405);
  ASSERT_EQ(response.headers.size(), 1u);
  EXPECT_EQ(response.headers[0].first, "Allow");

  response = dispatch(test_router(), context, {"GET", "/boom", "", "", {}, "", {}});
  EXPECT_EQ(response.status, 500);
}

TEST(RouterTest, HandlerTablePatternsAreUnique) {
  const auto& table = handler_table();
  for (std::size_t i = 0; i < table.size(); ++i) {
    for (std::size_t j = i + 1; j < table.size(); ++j) {
      EXPECT_FALSE(table[i].method == table[j].method && table[i].pattern == table[j].pattern)
          << table[i].method << " " << table[i].pattern;
    }
  }
}

TEST(AdminRequestTest, QueryParameters) {
  AdminRequest request;
  request.query = "since=42&flag&name=a%20b";
  bool found = false;
  EXPECT_EQ(request.query_param("since", &found), "42");
  EXPECT_TRUE(found);
  EXPECT_EQ(request.query_param("flag", &found), "");
  EXPECT_TRUE(found);
  EXPECT_EQ(request.query_param("name"), "a b");
  EXPECT_EQ(request.query_param("missing", &found), "");
  EXPECT_FALSE(found);
}

}  // namespace
}  // namespace switchyard::proxy::admin
