# The dashboard's browser test (tests/dashboard): installs playwright-core (pinned in
# package-lock.json) and the test script into ${CMAKE_BINARY_DIR}/dashboard-node. Chromium itself
# is Debian's (scripts/setup.sh). Without npm or the registry the install step says so and the
# test skips rather than breaking the build.
set(dashboard_node_dir ${CMAKE_BINARY_DIR}/dashboard-node)
set(dashboard_src ${PROJECT_SOURCE_DIR}/tests/dashboard)
find_program(SY_NPM npm)
find_program(SY_NODE node)
set(dashboard_stamp ${dashboard_node_dir}/npm-ci.stamp)
if(SY_NPM)
  add_custom_command(OUTPUT ${dashboard_stamp}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${dashboard_node_dir}
    COMMAND ${CMAKE_COMMAND} -E copy_if_different ${dashboard_src}/package.json ${dashboard_src}/package-lock.json
            ${dashboard_node_dir}
    COMMAND sh -c "${SY_NPM} ci --ignore-scripts --no-audit --no-fund --loglevel=error || echo 'npm ci failed: the dashboard test will skip'"
    COMMAND ${CMAKE_COMMAND} -E touch ${dashboard_stamp}
    WORKING_DIRECTORY ${dashboard_node_dir}
    DEPENDS ${dashboard_src}/package.json ${dashboard_src}/package-lock.json
    COMMENT "npm ci: playwright-core for the dashboard test")
else()
  add_custom_command(OUTPUT ${dashboard_stamp}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${dashboard_node_dir}
    COMMAND ${CMAKE_COMMAND} -E touch ${dashboard_stamp}
    COMMENT "no npm: the dashboard test will skip")
endif()
add_custom_command(OUTPUT ${dashboard_node_dir}/dashboard.test.mjs
  COMMAND ${CMAKE_COMMAND} -E copy ${dashboard_src}/dashboard.test.mjs ${dashboard_node_dir}/dashboard.test.mjs
  DEPENDS ${dashboard_src}/dashboard.test.mjs ${dashboard_stamp})
add_custom_target(sy_dashboard_node DEPENDS ${dashboard_stamp} ${dashboard_node_dir}/dashboard.test.mjs)

sy_test_suite(sy_dashboard_tests tests/dashboard sy_store)
if(TARGET sy_dashboard_tests)
  add_dependencies(sy_dashboard_tests sy_dashboard_node switchyard-proxy switchyard-demo-backend switchyard-controller)
  target_compile_definitions(sy_dashboard_tests PRIVATE SWITCHYARD_DASHBOARD_NODE_DIR="${dashboard_node_dir}"
                             SWITCHYARD_NODE="${SY_NODE}")
endif()
