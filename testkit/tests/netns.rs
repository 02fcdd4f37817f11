//! The private network a test runs networked tools in: only loopback, up;
//! a private D-Bus session works inside; a test name that matches no test
//! fails instead of passing empty.

use twofold_testkit::bus::PrivateBus;
use twofold_testkit::netns;

#[test]
fn inside_there_is_only_loopback() {
    if !netns::in_private_network("inside_there_is_only_loopback") {
        return;
    }
    netns::assert_isolated();
}

#[test]
fn a_private_bus_with_a_keyring_works_inside() {
    if !netns::in_private_network("a_private_bus_with_a_keyring_works_inside") {
        return;
    }
    // start() waits for the keyring's name on the bus: a bus out of reach
    // would fail there.
    let bus = PrivateBus::start();
    assert!(bus.address().starts_with("unix:path="), "a socket file, not abstract: {}", bus.address());
    bus.wait_for_name("org.freedesktop.secrets");
}

#[test]
#[should_panic(expected = "without running it")]
fn a_name_that_matches_no_test_fails() {
    netns::in_private_network("no_such_test");
}
