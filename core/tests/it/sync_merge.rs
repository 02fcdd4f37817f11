//! The sync merge's algebra (issue 25): states built by random edits on
//! three computers with random exchanges merge commutatively,
//! associatively and idempotently; and five computers making random
//! adds, renames, pins, moves and removals, their files delivered late and
//! out of order, end in one state with every change accounted for.

use std::collections::{BTreeMap, BTreeSet};

use proptest::prelude::*;
use twofold_core::account::Account;
use twofold_core::otp::{Algorithm, Kind, Otp};
use twofold_core::replica::{DeviceId, Field, Replica, State};
use twofold_core::secret::Secret;
use uuid::Uuid;

const T0: u64 = 1_800_000_000_000;

#[derive(Debug, Clone)]
enum Op {
    Add {
        on: usize,
    },
    Rename {
        on: usize,
        pick: usize,
        name: u8,
    },
    Pin {
        on: usize,
        pick: usize,
    },
    Move {
        on: usize,
        pick: usize,
        to: usize,
    },
    Remove {
        on: usize,
        pick: usize,
    },
    /// `from`'s file as it was `age` publications ago reaches `to`.
    Deliver {
        from: usize,
        to: usize,
        age: usize,
    },
}

fn ops(computers: usize, len: usize) -> impl Strategy<Value = Vec<Op>> {
    let op = prop_oneof![
        3 => (0..computers).prop_map(|on| Op::Add { on }),
        3 => (0..computers, any::<usize>(), any::<u8>()).prop_map(|(on, pick, name)| Op::Rename { on, pick, name }),
        1 => (0..computers, any::<usize>()).prop_map(|(on, pick)| Op::Pin { on, pick }),
        1 => (0..computers, any::<usize>(), any::<usize>()).prop_map(|(on, pick, to)| Op::Move { on, pick, to }),
        1 => (0..computers, any::<usize>()).prop_map(|(on, pick)| Op::Remove { on, pick }),
        4 => (0..computers, 0..computers, 0usize..4).prop_map(|(from, to, age)| Op::Deliver { from, to, age }),
    ];
    proptest::collection::vec(op, 1..len)
}

struct Computer {
    replica: Replica,
    list: Vec<Account>,
    /// Every file this computer wrote, oldest first.
    published: Vec<State>,
}

/// What every computer did, to check the end state against.
#[derive(Default)]
struct Ledger {
    added: BTreeSet<Uuid>,
    removed: BTreeSet<Uuid>,
    /// Each account's names as written, and by which computers.
    names: BTreeMap<Uuid, Vec<(usize, String)>>,
}

struct World {
    computers: Vec<Computer>,
    now: u64,
    ledger: Ledger,
}

impl World {
    fn new(n: usize) -> Self {
        let computers = (0..n)
            .map(|i| Computer {
                replica: Replica::new(DeviceId(i as u64 + 1)),
                list: Vec::new(),
                published: Vec::new(),
            })
            .collect();
        Self { computers, now: T0, ledger: Ledger::default() }
    }

    /// A round on computer `on` after its person's change, with `delivered`.
    fn round(&mut self, on: usize, delivered: Option<State>) {
        // Each computer's clock is off by its own amount, up to a minute.
        self.now += 1_000;
        let now = self.now + on as u64 * 20_000;
        let c = &mut self.computers[on];
        let others: Vec<&State> = delivered.iter().collect();
        c.list = c.replica.round(&c.list, &others, now, true).accounts;
        c.published.push(c.replica.state.clone());
    }

    fn run(&mut self, op: &Op) {
        let n = self.computers.len();
        match *op {
            Op::Add { on } => {
                let k = self.ledger.added.len() as u8;
                let secret = Secret::from_bytes(vec![k.wrapping_add(1); 10]).expect("secret");
                let otp = Otp::new(secret, Algorithm::Sha1, 6, Kind::Totp { period: 30 }).expect("otp");
                let account = Account::new(format!("added {k}"), "me", otp, 1_700_000_000);
                self.ledger.added.insert(account.id);
                self.ledger.names.entry(account.id).or_default().push((on, account.issuer.clone()));
                self.computers[on].list.push(account);
                self.round(on, None);
            }
            Op::Rename { on, pick, name } => {
                let list = &mut self.computers[on].list;
                if list.is_empty() {
                    return;
                }
                let index = pick % list.len();
                let account = &mut list[index];
                account.issuer = format!("name {name}");
                self.ledger.names.entry(account.id).or_default().push((on, account.issuer.clone()));
                self.round(on, None);
            }
            Op::Pin { on, pick } => {
                let list = &mut self.computers[on].list;
                if list.is_empty() {
                    return;
                }
                let index = pick % list.len();
                list[index].pinned = !list[index].pinned;
                self.round(on, None);
            }
            Op::Move { on, pick, to } => {
                let list = &mut self.computers[on].list;
                if list.len() < 2 {
                    return;
                }
                let account = list.remove(pick % list.len());
                let at = to % (list.len() + 1);
                list.insert(at, account);
                self.round(on, None);
            }
            Op::Remove { on, pick } => {
                let list = &mut self.computers[on].list;
                if list.is_empty() {
                    return;
                }
                let account = list.remove(pick % list.len());
                self.ledger.removed.insert(account.id);
                self.round(on, None);
            }
            Op::Deliver { from, to, age } => {
                let published = &self.computers[from % n].published;
                if from % n == to % n || published.is_empty() {
                    return;
                }
                let file = published[published.len() - 1 - age.min(published.len() - 1)].clone();
                self.round(to % n, Some(file));
            }
        }
    }

    /// Everyone's latest file reaches everyone, twice over.
    fn settle(&mut self) {
        let n = self.computers.len();
        for _ in 0..2 {
            for to in 0..n {
                for from in 0..n {
                    if from != to {
                        let file = self.computers[from].replica.state.clone();
                        self.round(to, Some(file));
                    }
                }
            }
        }
    }
}

fn state_after(computers: usize, ops: &[Op]) -> Vec<State> {
    let mut world = World::new(computers);
    for op in ops {
        world.run(op);
    }
    world.computers.into_iter().map(|c| c.replica.state).collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn issue_25_the_merge_is_commutative_associative_and_idempotent(ops in ops(3, 40)) {
        let states = state_after(3, &ops);
        let (a, b, c) = (&states[0], &states[1], &states[2]);
        prop_assert_eq!(a.merge(b), b.merge(a));
        prop_assert_eq!(a.merge(b).merge(c), a.merge(&b.merge(c)));
        prop_assert_eq!(&a.merge(a), a);
        // Taking in a state already taken in changes nothing.
        let ab = a.merge(b);
        prop_assert_eq!(ab.merge(b), ab.clone());
        prop_assert_eq!(ab.merge(a), ab);
    }

    #[test]
    fn issue_25_five_computers_converge_and_nothing_is_lost(ops in ops(5, 80)) {
        let mut world = World::new(5);
        for op in &ops {
            world.run(op);
        }
        world.settle();
        let first = &world.computers[0];
        for other in &world.computers[1..] {
            prop_assert_eq!(&other.replica.state, &first.replica.state);
            prop_assert_eq!(&other.list, &first.list);
        }
        let state = &first.replica.state;
        let view = state.view(world.now + 200_000);
        let shown: BTreeSet<Uuid> = view.accounts.iter().map(|a| a.id).collect();
        let removed: BTreeSet<Uuid> = view.removed.iter().copied().collect();
        // Every account added is either shown or a tombstone; only an
        // account someone removed is a tombstone.
        prop_assert_eq!(&shown | &removed, world.ledger.added.clone());
        prop_assert!(removed.is_subset(&world.ledger.removed), "{:?}", removed);
        for account in &view.accounts {
            let written = &world.ledger.names[&account.id];
            // A shown name is one somebody wrote...
            prop_assert!(written.iter().any(|(_, n)| *n == account.issuer), "{} never written", account.issuer);
            // ...and a name written on one computer only is its last one.
            let writers: BTreeSet<usize> = written.iter().map(|(on, _)| *on).collect();
            if writers.len() == 1 {
                prop_assert_eq!(&account.issuer, &written.last().expect("a name").1);
            }
            // Names written concurrently are all kept until someone chooses.
            let label = &state.accounts[&account.id].label;
            if label.versions().len() > 1 {
                prop_assert!(view.conflicts.iter().any(|c| c.account == account.id && c.field == Field::Label) || !label.disagrees());
            }
        }
    }
}
