fn main() {
    twofold_app::run()
}
