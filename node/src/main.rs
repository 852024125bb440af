//! The `buurtnet` command: `serve`, `member add`, `initiative add`, `initiative export`,
//! `initiative import`, `alias`, `move`, `move-node`, `print-config`, `backup`, `restore`, `demo`.

use anyhow::{Context as _, Result, bail};
use buurtnet::config::Config;
use buurtnet_domain::model::ActorKind;
use buurtnet_domain::ops;
use buurtnet_domain::ops::actors::{InitiativeDraft, MemberDraft, ROLE_COORDINATOR, ROLE_MEMBER};
use buurtnet_federation::keys;
use clap::{Parser, Subcommand};
use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;

#[derive(Parser)]
#[command(name = "buurtnet", version, about = "Buurtnet: a federated node for neighbourhood care initiatives")]
struct Cli {
    /// Config file (default: $BUURTNET_CONFIG, or buurtnet.toml when present).
    #[arg(long, global = true)]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the node.
    Serve,
    /// Manage members (people with a login).
    #[command(subcommand)]
    Member(MemberCommand),
    /// Manage initiatives.
    #[command(subcommand)]
    Initiative(InitiativeCommand),
    /// Old identities of a member or initiative (`alsoKnownAs`), so that it may be moved here.
    #[command(subcommand)]
    Alias(AliasCommand),
    /// Move a member or initiative to its new identity on another node, which must list this
    /// one as alias: its followers follow the new one.
    Move {
        username: String,
        /// The new actor's address, e.g. https://nieuw.example/initiatives/zorg.
        #[arg(long)]
        to: String,
    },
    /// Move every member and initiative to the same name on another node, where it lists the
    /// old one as alias; says per account what it did.
    MoveNode {
        /// The new node's address, e.g. https://nieuw.example.
        #[arg(long)]
        to: url::Url,
    },
    /// Print the settings in force (file, environment and defaults), as TOML.
    PrintConfig,
    /// Write the node's data (database, keys, media) to one file, also while it serves.
    Backup {
        /// The file to write, e.g. buurtnet-2026-12-07.tar.gz.
        file: PathBuf,
    },
    /// Bring a backup back into a fresh data directory (or empty PostgreSQL database).
    Restore { file: PathBuf },
    /// Start three local nodes that follow each other, with Dutch sample content.
    Demo {
        /// Port of the first node; the others take the next two.
        #[arg(long, default_value_t = 8081)]
        base_port: u16,
        /// PostgreSQL instead of SQLite: a database URL with `{node}` where each node's name
        /// goes (`postgres://localhost/demo_{node}`); the databases must exist.
        #[arg(long)]
        postgres: Option<String>,
    },
}

#[derive(Subcommand)]
enum MemberCommand {
    /// Add a member. The password comes from BUURTNET_PASSWORD or standard input.
    Add {
        name: String,
        #[arg(long)]
        admin: bool,
        /// Initiative (slug) the member joins.
        #[arg(long)]
        initiative: Option<String>,
        /// Join the initiative as coordinator (buurtassistent).
        #[arg(long, requires = "initiative")]
        coordinator: bool,
        #[arg(long)]
        email: Option<String>,
        #[arg(long)]
        display_name: Option<String>,
    },
}

#[derive(Subcommand)]
enum InitiativeCommand {
    /// Add an initiative.
    Add {
        slug: String,
        #[arg(long)]
        name: String,
        #[arg(long, default_value = "")]
        summary: String,
        /// Followers need approval by a coordinator.
        #[arg(long)]
        approve_followers: bool,
    },
    /// Write one initiative to a file for another node: its profile, its public posts, and the
    /// members who chose to move along.
    Export {
        slug: String,
        /// The file to write, e.g. zorg.json.
        file: PathBuf,
    },
    /// Take in an initiative from a file another node wrote with `initiative export`.
    Import { file: PathBuf },
}

#[derive(Subcommand)]
enum AliasCommand {
    /// List an old identity (an actor's address on another node).
    Add { username: String, old_actor: String },
    /// No longer list it.
    Remove { username: String, old_actor: String },
}

#[tokio::main]
async fn main() -> Result<()> {
    let outcome = run().await;
    // What the domain refused is said in words (both languages), as the web says it; the
    // domain itself gives codes.
    if let Err(error) = &outcome
        && let Some(refused) = domain_error(error)
        && buurtnet_web::error::status_of(refused).is_client_error()
    {
        eprintln!("Error: {}", buurtnet_web::error::public_message(refused));
        std::process::exit(1);
    }
    outcome
}

/// The domain's refusal in `error`, whether it came straight from a use case or through the
/// federation crate.
fn domain_error(error: &anyhow::Error) -> Option<&buurtnet_domain::DomainError> {
    use buurtnet_federation::error::FederationError;
    match error.downcast_ref::<FederationError>() {
        Some(FederationError::Domain(refused)) => Some(refused),
        _ => error.downcast_ref(),
    }
}

async fn run() -> Result<()> {
    let cli = Cli::parse();
    let config = Config::load(cli.config.as_deref())?;
    init_logging(&config);
    match cli.command {
        Command::Serve => serve(config).await,
        Command::PrintConfig => {
            print!("{}", config.to_toml());
            println!("# database_url in force: {}", config.database_url());
            Ok(())
        }
        Command::Backup { file } => {
            let carried = buurtnet::backup::backup(&config, &file).await?;
            println!("Backup written to {}: {carried}", file.display());
            Ok(())
        }
        Command::Restore { file } => {
            let carried = buurtnet::backup::restore(&config, &file).await?;
            println!("Restored {carried}.\nStart the node with `buurtnet serve`; it federates as before.");
            Ok(())
        }
        Command::Member(MemberCommand::Add { name, admin, initiative, coordinator, email, display_name }) => {
            let password = read_password()?;
            let store = buurtnet::open_store(&config).await?;
            let urls = buurtnet::local_urls(&config)?;
            buurtnet::ensure_instance(&store, &urls).await?;
            let role = if coordinator { ROLE_COORDINATOR } else { ROLE_MEMBER };
            let draft = MemberDraft {
                username: name,
                display_name: display_name.unwrap_or_default(),
                password,
                email,
                is_admin: admin,
                initiative: initiative.map(|slug| (slug, role.to_string())),
            };
            let member = ops::actors::add_member(&store, &urls, &draft, &keys::generate()).await?;
            println!("Lid aangemaakt / member created: @{} ({})", member.handle(), member.ap_id);
            Ok(())
        }
        Command::Initiative(InitiativeCommand::Add { slug, name, summary, approve_followers }) => {
            let store = buurtnet::open_store(&config).await?;
            let urls = buurtnet::local_urls(&config)?;
            buurtnet::ensure_instance(&store, &urls).await?;
            let draft = InitiativeDraft { slug, name, summary, manually_approves_followers: approve_followers };
            let initiative = ops::actors::add_initiative(&store, &urls, &draft, &keys::generate()).await?;
            println!("Initiatief aangemaakt / initiative created: @{} ({})", initiative.handle(), initiative.ap_id);
            Ok(())
        }
        Command::Initiative(InitiativeCommand::Export { slug, file }) => {
            let exported = buurtnet::handing_over::export_initiative(&config, &slug, &file).await?;
            println!("Initiatief weggeschreven / initiative exported to {}: {exported}", file.display());
            Ok(())
        }
        Command::Initiative(InitiativeCommand::Import { file }) => {
            let imported = buurtnet::handing_over::import_initiative(&config, &file).await?;
            println!("Initiatief overgenomen / initiative imported: {imported}");
            Ok(())
        }
        Command::Demo { base_port, postgres } => buurtnet::demo::run(&config, base_port, postgres.as_deref()).await,
        Command::Alias(AliasCommand::Add { username, old_actor }) => buurtnet::moving::alias(&config, &username, &old_actor, true).await,
        Command::Alias(AliasCommand::Remove { username, old_actor }) => {
            buurtnet::moving::alias(&config, &username, &old_actor, false).await
        }
        Command::Move { username, to } => buurtnet::moving::move_one(&config, &username, &to).await,
        Command::MoveNode { to } => buurtnet::moving::move_node(&config, &to).await,
    }
}

fn init_logging(config: &Config) {
    let filter =
        tracing_subscriber::EnvFilter::try_from_env("BUURTNET_LOG").unwrap_or_else(|_| "info,sqlx=warn,activitypub_federation=warn".into());
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).with_ansi(std::io::stderr().is_terminal());
    if config.log_format == "json" {
        builder.json().init();
    } else {
        builder.init();
    }
}

fn read_password() -> Result<String> {
    if let Ok(password) = std::env::var("BUURTNET_PASSWORD") {
        return Ok(password);
    }
    if std::io::stdin().is_terminal() {
        eprint!("Wachtwoord / password: ");
        std::io::stderr().flush()?;
    }
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line).context("reading the password from standard input")?;
    let password = line.trim_end_matches(['\r', '\n']).to_string();
    if password.is_empty() {
        bail!("no password given: set BUURTNET_PASSWORD or pass it on standard input");
    }
    Ok(password)
}

async fn serve(config: Config) -> Result<()> {
    let listener = tokio::net::TcpListener::bind(&config.listen).await.with_context(|| format!("cannot listen on {}", config.listen))?;
    let node = buurtnet::start(&config, listener).await?;
    let mut conn = node.state().store.conn().await?;
    let initiatives = buurtnet_domain::store::actors::count_local(&mut conn, ActorKind::Group).await?;
    drop(conn);
    tracing::info!(domain = %config.domain, listen = %node.addr, database = node.state().store.backend(), dev = config.dev, "Buurtnet {} is running", buurtnet::VERSION);
    if config.dev {
        tracing::warn!("development mode: http:// and local peers are allowed. Never use this on a public server.");
    }
    if initiatives == 0 {
        eprintln!(
            "\nDeze node heeft nog geen initiatief. / This node has no initiative yet.\n  buurtnet initiative add SLUG --name \"Naam van het initiatief\"\n  buurtnet member add NAAM --admin --initiative SLUG --coordinator   (wachtwoord via BUURTNET_PASSWORD of stdin)\n"
        );
    }
    node_shutdown_signal().await;
    tracing::info!(grace_secs = config.server.shutdown_grace_secs, "stopping: no new requests; what is in flight may finish");
    tokio::spawn(async {
        node_shutdown_signal().await;
        tracing::warn!("a second signal: stopping at once; unfinished deliveries resume at the next start");
        std::process::exit(130);
    });
    let stopped = node.shut_down().await;
    tracing::info!(
        cut_connections = stopped.cut_connections,
        parked_deliveries = stopped.parked_deliveries,
        "stopped cleanly: the database is closed; parked deliveries go out at the next start"
    );
    Ok(())
}

async fn node_shutdown_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).expect("signal handler");
        tokio::select! {
            _ = ctrl_c => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    let _ = ctrl_c.await;
}
